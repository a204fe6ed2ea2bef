/// Answers requests. Runs as a task off the event loops, so it may take its time without stalling other
/// connections; the server writes the response when it returns.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPResponse
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
