import Foundation
import Synchronization

/// Where log lines go. Each line is written whole, so lines of concurrent tasks never interleave.
///
/// Standard error is written by a thread of its own (`BackgroundLineWriter`): a thread that logs, an event loop
/// refusing a request among them, only queues the line and never waits on a slow or full stderr pipe.
public final class LogOutput: Sendable {
    private let writeLine: @Sendable (String) -> Void
    private let waitUntilWritten: @Sendable () -> Void

    /// Writes each line at once, under a lock (tests collect lines this way).
    public convenience init(_ write: @escaping @Sendable (String) -> Void) {
        let sink = Mutex(write)
        self.init(write: { line in sink.withLock { $0(line) } }, flush: {})
    }

    private init(write: @escaping @Sendable (String) -> Void, flush: @escaping @Sendable () -> Void) {
        writeLine = write
        waitUntilWritten = flush
    }

    /// Standard error, written in the background; whatever is queued is written before the process exits (waiting
    /// at most 5 s for a reader that stopped reading).
    public static let standardError: LogOutput = {
        let writer = BackgroundLineWriter(fileDescriptor: STDERR_FILENO)
        let output = LogOutput(write: writer.enqueue, flush: { writer.flush(timeout: .seconds(5)) })
        atexit { LogOutput.standardError.flush() }
        return output
    }()

    func write(_ line: String) {
        writeLine(line)
    }

    /// Returns once every line logged so far has been written.
    public func flush() {
        waitUntilWritten()
    }
}
