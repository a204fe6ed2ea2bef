import Foundation

/// Writes lines to a file descriptor from a thread of its own, in the order they were queued.
///
/// The queue holds up to `capacityBytes`; a line that does not fit makes its caller wait for room rather than be
/// lost. So a logger never does I/O itself and only waits when the reader of the descriptor (the container
/// runtime, for stderr) has fallen a whole buffer behind.
final class BackgroundLineWriter: @unchecked Sendable {
    private let fileDescriptor: Int32
    private let capacityBytes: Int
    // Guards everything below; signalled when lines arrive, when a batch has been written.
    private let condition = NSCondition()
    private var queued: [String] = []
    private var queuedBytes = 0
    private var isWriting = false

    init(fileDescriptor: Int32, capacityBytes: Int = 1 << 20) {
        self.fileDescriptor = fileDescriptor
        self.capacityBytes = capacityBytes
        let thread = Thread { [self] in writeForever() }
        thread.name = "log-writer"
        thread.start()
    }

    func enqueue(_ line: String) {
        let bytes = line.utf8.count
        condition.lock()
        while queuedBytes > 0 && queuedBytes + bytes > capacityBytes { condition.wait() }
        queued.append(line)
        queuedBytes += bytes
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every line queued so far has been written, or `timeout` has passed (a reader that stopped
    /// reading must not keep the process from exiting).
    func flush(timeout: Duration) {
        let deadline = Date(timeIntervalSinceNow: timeout / .seconds(1))
        condition.lock()
        while (!queued.isEmpty || isWriting) && condition.wait(until: deadline) {}
        condition.unlock()
    }

    private func writeForever() {
        while true {
            condition.lock()
            while queued.isEmpty { condition.wait() }
            let batch = queued
            queued = []
            queuedBytes = 0
            isWriting = true
            condition.broadcast()
            condition.unlock()

            var bytes = Array(batch.joined().utf8)
            write(&bytes)

            condition.lock()
            isWriting = false
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Writes all of `bytes`, across short writes and interruptions; gives up on any other error (there is nowhere
    /// left to report it).
    private func write(_ bytes: inout [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
