import Foundation
import Glibc
import HTTPServer
import Logging
import Synchronization
import TestSupport
import Testing

/// What keeps connection slots and memory from being taken by peers that send nothing, hold connections idle, or
/// upload slowly: the head timeout from the accept, eviction of the oldest idle connection at the limit, a limit
/// per client address, and one budget of buffered request bytes.
@Suite struct ConnectionLimitsTests {
    /// Counts what the server shed, by reason.
    final class Shed: Sendable {
        private let counts = Mutex<[ConnectionShedReason: Int]>([:])
        func count(_ reason: ConnectionShedReason) -> Int { counts.withLock { $0[reason] ?? 0 } }
        var observer: HTTPServerObserver {
            HTTPServerObserver(connectionShed: { reason in self.counts.withLock { $0[reason, default: 0] += 1 } })
        }
    }

    /// A plain-HTTP server on one loop answering `GET /ok` and `POST /echo`, configured by `configure`.
    static func server(
        _ shed: Shed, configure: (inout HTTPServerConfiguration) -> Void
    ) throws -> (HTTPServer, Int) {
        // Answered on the loop: these tests block their threads in recv, and a handler task would wait for one.
        var router = HTTPRouter()
        router.addOnLoop("GET", "/ok") { _ in .text(.ok, "ok\n") }
        router.addOnLoop("POST", "/echo") { request in .text(.ok, "\(request.body.count)\n") }
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.loopCount = 1
        configure(&configuration)
        let server = HTTPServer(
            configuration: configuration, handler: router, tlsContext: nil, observer: shed.observer,
            logger: Logger(label: "test"))
        return (server, try server.start())
    }

    /// A blocking client socket to 127.0.0.1:`port`, whose reads give up after 10 s (a test never hangs).
    static func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        _ = text.utf8CString.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one response (a head and its Content-Length body), or `nil` when the server closed first.
    static func readResponse(_ fd: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let length =
                    text[..<end.lowerBound].split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count >= text.utf8.distance(from: text.startIndex, to: end.upperBound) + length {
                    return text
                }
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return received.isEmpty ? nil : String(decoding: received, as: UTF8.self) }
            received += buffer[0..<count]
        }
    }

    /// Whether the server closed the connection (end of file) before the read timeout.
    static func isClosedByServer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    @Test func aPeerThatSendsNothing_isClosedAtTheHeadTimeout_notTheIdleOne() throws {
        let shed = Shed()
        let (server, port) = try Self.server(shed) {
            $0.headerTimeout = .milliseconds(300)
            $0.idleTimeout = .seconds(120)
        }
        defer { Task { await server.shutdown() } }
        let silent = try Self.connect(port)
        defer { close(silent) }
        #expect(Self.isClosedByServer(silent))
        #expect(shed.count(.headTimeout) == 1)
    }

    @Test func atTheConnectionLimit_theOldestIdleConnectionMakesRoom() throws {
        let shed = Shed()
        let (server, port) = try Self.server(shed) { $0.maxConnections = 3 }
        defer { Task { await server.shutdown() } }
        var idle: [Int32] = []
        for _ in 0..<3 {
            let fd = try Self.connect(port)
            Self.send(fd, "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(Self.readResponse(fd)?.hasPrefix("HTTP/1.1 200") == true)
            idle.append(fd)
        }
        defer { idle.forEach { close($0) } }

        let newcomer = try Self.connect(port)
        defer { close(newcomer) }
        Self.send(newcomer, "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(Self.readResponse(newcomer)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(Self.isClosedByServer(idle[0]), "the oldest idle connection was closed")
        #expect(shed.count(.idleEvicted) == 1)
    }

    @Test func atTheConnectionLimit_withNoneIdle_theOldestSilentConnectionMakesRoom() throws {
        let shed = Shed()
        let (server, port) = try Self.server(shed) { $0.maxConnections = 3 }
        defer { Task { await server.shutdown() } }
        let silent = try (0..<3).map { _ in try Self.connect(port) }
        defer { silent.forEach { close($0) } }

        let newcomer = try Self.connect(port)
        defer { close(newcomer) }
        Self.send(newcomer, "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(Self.readResponse(newcomer)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(Self.isClosedByServer(silent[0]), "the oldest silent connection was closed")
        #expect(shed.count(.silentEvicted) == 1)
    }

    @Test func oneClientAddress_cannotTakeMoreThanItsLimit() throws {
        let shed = Shed()
        let (server, port) = try Self.server(shed) { $0.maxConnectionsPerClient = 2 }
        defer { Task { await server.shutdown() } }
        let first = try Self.connect(port)
        let second = try Self.connect(port)
        let third = try Self.connect(port)
        defer { [first, second, third].forEach { close($0) } }
        #expect(Self.isClosedByServer(third))
        Self.send(first, "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(Self.readResponse(first)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(shed.count(.perClientLimit) == 1)
    }

    @Test func aRequestOverTheBufferBudget_gets503WithRetryAfter_andTheOthersGoOn() throws {
        let shed = Shed()
        let (server, port) = try Self.server(shed) {
            $0.maxBodyBytes = 64 * 1024
            $0.maxBufferedBytes = 100 * 1024
        }
        defer { Task { await server.shutdown() } }
        // A stalled upload holds 60 KB of the 100 KB budget; a second one of 60 KB cannot fit.
        let stalled = try Self.connect(port)
        defer { close(stalled) }
        let upload = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 60000\r\n\r\n"
        Self.send(stalled, upload + String(repeating: "a", count: 1000))
        let refused = try Self.connect(port)
        defer { close(refused) }
        // The stalled upload's head must be in before the second arrives: its answer proves nothing, so poll the
        // second until refused (each attempt on a new connection).
        var answer = ""
        for _ in 0..<50 where !answer.hasPrefix("HTTP/1.1 503") {
            let attempt = try Self.connect(port)
            Self.send(attempt, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 60000\r\n\r\n")
            answer = Self.readResponse(attempt) ?? ""
            close(attempt)
        }
        #expect(answer.hasPrefix("HTTP/1.1 503 Service Unavailable"), "\(answer)")
        #expect(answer.contains("Retry-After: 1"))
        #expect(shed.count(.bufferBudget) >= 1)

        // The stalled upload completes and is answered; its budget is back, so the next upload fits again.
        Self.send(stalled, String(repeating: "a", count: 59_000))
        #expect(Self.readResponse(stalled)?.hasSuffix("\r\n\r\n60000\n") == true)
        Self.send(refused, upload + String(repeating: "b", count: 60_000))
        let later = Self.readResponse(refused)
        #expect(later?.hasPrefix("HTTP/1.1 200") == true, "\(String(describing: later))")
    }
}
