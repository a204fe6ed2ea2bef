/// Answers requests.
///
/// The server first offers each request to `respondOnLoop(to:)`, on the event loop: a handler that can answer
/// without waiting (no I/O, no contended lock, bounded CPU — a small AdmissionReview, a health check) answers
/// there, saving two thread hops per request. Otherwise it returns `nil` and `handle(_:)` runs as a task off the
/// loops, so it may take its time without stalling other connections.
public protocol HTTPHandler: Sendable {
    func respondOnLoop(to request: HTTPRequest) -> HTTPResponse?
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}

extension HTTPHandler {
    public func respondOnLoop(to request: HTTPRequest) -> HTTPResponse? { nil }
}

/// Reports of a server for metrics; each closure is called from an event loop and must return quickly.
public struct HTTPServerObserver: Sendable {
    public var connectionOpened: @Sendable () -> Void
    public var connectionClosed: @Sendable () -> Void
    public var tlsHandshakeFailed: @Sendable (TLSError?) -> Void

    public init(
        connectionOpened: @escaping @Sendable () -> Void = {},
        connectionClosed: @escaping @Sendable () -> Void = {},
        tlsHandshakeFailed: @escaping @Sendable (TLSError?) -> Void = { _ in }
    ) {
        self.connectionOpened = connectionOpened
        self.connectionClosed = connectionClosed
        self.tlsHandshakeFailed = tlsHandshakeFailed
    }
}
