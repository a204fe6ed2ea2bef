import Synchronization

/// Set when the task waiting for a transfer is cancelled (shutdown): libcurl's progress callback reads it and
/// aborts the transfer, so that a request to a hanging API server does not hold the process for its full timeout.
final class CurlCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() { cancelled.store(true, ordering: .relaxed) }
}
