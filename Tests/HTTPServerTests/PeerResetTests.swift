import Foundation
import Glibc
import HTTPServer
import Logging
import Synchronization
import TestSupport
import Testing

/// A peer that resets its connection while its request is handled off the loop: epoll reports the hang-up however
/// little the loop asked for, so the connection must be closed, not left to wake the loop again and again.
@Suite struct PeerResetTests {
    /// Lets the test hold a handler until it has seen what it needs.
    final class Gate: Sendable {
        private let state = Mutex<(entered: Bool, waiter: CheckedContinuation<Void, Never>?, isOpen: Bool)>(
            (false, nil, false))

        var entered: Bool { state.withLock { $0.entered } }

        func pass() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    state.entered = true
                    if state.isOpen { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        func open() {
            let waiter = state.withLock { state in
                state.isOpen = true
                return state.waiter.take()
            }
            waiter?.resume()
        }
    }

    /// Connects to 127.0.0.1:`port` and sends `request`.
    static func connectAndSend(port: Int, _ request: String) throws -> Int32 {
        let fd = try ConnectionLimitsTests.connect(port)
        ConnectionLimitsTests.send(fd, request)
        return fd
    }

    /// Closes `fd` with a reset (RST) instead of an orderly FIN.
    static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    /// CPU time of the event-loop threads of the server on `port` (named `http-<port>`), from /proc: other tests
    /// run in this process at the same time, so the process's own total would not tell.
    static func loopCPUSeconds(port: Int) throws -> Double {
        let tasks = "/proc/self/task"
        var ticks = 0
        for tid in try FileManager.default.contentsOfDirectory(atPath: tasks) {
            let name = (try? String(contentsOfFile: "\(tasks)/\(tid)/comm", encoding: .utf8)) ?? ""
            guard name.trimmingCharacters(in: .whitespacesAndNewlines) == "http-\(port)",
                let stat = try? String(contentsOfFile: "\(tasks)/\(tid)/stat", encoding: .utf8),
                let afterName = stat.split(separator: ")").last
            else { continue }
            // Fields after the name: state is the first, utime the 12th, stime the 13th (proc(5)).
            let fields = afterName.split(separator: " ")
            ticks += (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
        }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test func aPeerThatResetsWhileItsRequestIsHandled_isClosed_andTheLoopSleeps() async throws {
        let gate = Gate()
        let closed = Atomic<Int>(0)
        var router = HTTPRouter()
        router.add("GET", "/slow") { _ in
            await gate.pass()
            return .text(.ok, "late\n")
        }
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.loopCount = 1
        let server = HTTPServer(
            configuration: configuration, handler: router, tlsContext: nil,
            observer: HTTPServerObserver(connectionClosed: { closed.add(1, ordering: .relaxed) }),
            logger: Logger(label: "test"))
        let port = try server.start()

        let fd = try Self.connectAndSend(port: port, "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")
        try await waitUntil("the handler has the request") { gate.entered }
        Self.reset(fd)

        // The handler still holds the request: only the hang-up can close the connection.
        try await waitUntil("the server closed the reset connection") { closed.load(ordering: .relaxed) == 1 }
        let before = try Self.loopCPUSeconds(port: port)
        try await Task.sleep(for: .milliseconds(300))
        let used = try Self.loopCPUSeconds(port: port) - before
        #expect(used < 0.1, "the event loop used \(used) s of CPU in 0.3 s with nothing to do")

        gate.open()
        await server.shutdown()
    }
}
