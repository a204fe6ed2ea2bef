import Synchronization

/// Idle easy handles, each with its open connection to the API server, so that requests reuse connections
/// (and TLS sessions) instead of handshaking each time. A handle is handed to one caller at a time; callers
/// beyond the idle ones get a new handle, and handles beyond `maxIdle` are closed when returned.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlEasy]>([])
    let maxIdle: Int

    init(maxIdle: Int) {
        self.maxIdle = max(1, maxIdle)
    }

    /// An idle handle, or a new one; `nil` only when libcurl cannot make one.
    func take() -> CurlEasy? {
        idle.withLock { $0.popLast() } ?? CurlEasy()
    }

    func give(_ easy: CurlEasy) {
        let surplus: CurlEasy? = idle.withLock { handles in
            guard handles.count < maxIdle else { return easy }
            handles.append(easy)
            return nil
        }
        // Closed here, outside the lock (closing a connection may block briefly).
        _ = surplus
    }
}
