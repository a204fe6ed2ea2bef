import Foundation
import Synchronization

/// Where log lines go. Each line is written whole, under a lock, so lines of concurrent tasks never interleave.
public final class LogOutput: Sendable {
    private let sink: Mutex<(String) -> Void>

    public init(_ write: @escaping @Sendable (String) -> Void) {
        sink = Mutex(write)
    }

    public static let standardError = LogOutput { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    func write(_ line: String) {
        sink.withLock { $0(line) }
    }
}
