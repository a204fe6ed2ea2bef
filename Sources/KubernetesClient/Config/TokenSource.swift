import Foundation
import Logging
import Synchronization

/// The bearer token of each request. A token file is read again when the token in hand is older than
/// `refreshInterval` (bound service-account tokens are rotated by the kubelet, hourly by default, and client-go
/// re-reads every minute) and once more after a 401, before the request is failed.
///
/// A failed re-read keeps the last good token and logs a warning (without the token).
final class TokenSource: Sendable {
    private struct State {
        var token: String?
        var readAt: Duration?
    }

    private let setting: BearerToken
    private let refreshInterval: Duration
    private let clock: any RequestClock
    private let logger: Logger
    private let state = Mutex(State())

    init(_ setting: BearerToken, refreshInterval: Duration, clock: any RequestClock, logger: Logger) {
        self.setting = setting
        self.refreshInterval = refreshInterval
        self.clock = clock
        self.logger = logger
    }

    /// The token to send now; `nil` when the config has none.
    func current() -> String? {
        let path: String
        switch setting {
        case .none: return nil
        case .value(let token): return token
        case .file(let file): path = file
        }
        let now = clock.now()
        return state.withLock { state in
            if let readAt = state.readAt, now - readAt < refreshInterval, state.token != nil { return state.token }
            reread(path, now: now, into: &state)
            return state.token
        }
    }

    /// After a 401: reads the token file again. `true` when it now holds a different token, so that one more
    /// attempt is worth making.
    func refreshAfterUnauthorized() -> Bool {
        guard case .file(let path) = setting else { return false }
        let now = clock.now()
        return state.withLock { state in
            let before = state.token
            reread(path, now: now, into: &state)
            return state.token != before
        }
    }

    private func reread(_ path: String, now: Duration, into state: inout State) {
        let data: [UInt8]
        switch ConfigFiles.readRegularFile(path) {
        case .success(let bytes): data = bytes
        case .failure(let reason):
            logger.warning(
                "Cannot re-read the token file; keeping the last token",
                metadata: ["file": "\(path)", "reason": "\(reason.text)"])
            state.readAt = now
            return
        }
        let token = BearerToken.fromFile(data)
        guard !token.isEmpty else {
            logger.warning("The token file is empty; keeping the last token", metadata: ["file": "\(path)"])
            state.readAt = now
            return
        }
        if let problem = BearerToken.problem(with: token) {
            logger.warning(
                "The token file \(problem); keeping the last token", metadata: ["file": "\(path)"])
            state.readAt = now
            return
        }
        if state.token != nil, state.token != token {
            logger.info("The token file holds a new token", metadata: ["file": "\(path)"])
        }
        state.token = token
        state.readAt = now
    }
}
