import Logging
import Synchronization

/// Debug lines about events that any peer can cause as often as it likes (failed TLS handshakes): at most one line
/// per `interval`, carrying how many were left out before it, so that a flood of garbage cannot flood the log.
final class RateLimitedLog: Sendable {
    private let logger: Logger
    private let interval: Duration
    private let state = Mutex<(last: ContinuousClock.Instant?, suppressed: Int)>((nil, 0))

    init(logger: Logger, interval: Duration = .seconds(1)) {
        self.logger = logger
        self.interval = interval
    }

    func debug(_ message: @autoclosure () -> Logger.Message, metadata: Logger.Metadata) {
        guard logger.logLevel <= .debug else { return }
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { state in
            if let last = state.last, now - last < interval {
                state.suppressed += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.suppressed
        }
        guard let suppressed else { return }
        var metadata = metadata
        if suppressed > 0 { metadata["left_out_before"] = "\(suppressed)" }
        logger.debug(message(), metadata: metadata)
    }
}
