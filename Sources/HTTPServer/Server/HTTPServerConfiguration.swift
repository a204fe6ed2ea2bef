/// Options of one listener. Defaults suit the admission webhook: the API server is the only client, it keeps
/// connections alive, and its own idle timeout is 90 s.
public struct HTTPServerConfiguration: Sendable {
    /// `::` listens on IPv6 and IPv4; `127.0.0.1` or `::1` on loopback only.
    public var host: String
    /// 0 picks a free port; `HTTPServer.port` tells which.
    public var port: Int
    /// Event-loop threads. Two suit this product's 2-core pods; each owns a listener (`SO_REUSEPORT`).
    public var loopCount: Int = 2
    /// Pending connections the kernel holds while all loops are busy; past it, connects are refused.
    public var backlog: Int32 = 512
    /// Open connections at most. When reached, the oldest idle keep-alive connection is closed to admit a new one;
    /// without any, new connections wait in the backlog until one closes.
    public var maxConnections: Int = 4096
    /// Open connections from one client address at most; more are closed at once.
    public var maxConnectionsPerClient: Int = 256
    /// Request bytes buffered by all connections together at most (heads and bodies being received); a request
    /// that would go over is answered 503 with `Retry-After` and its connection closed.
    public var maxBufferedBytes: Int = 64 * 1024 * 1024
    /// Request line and headers at most (431), header fields at most (431), body at most (413).
    public var maxHeaderBytes: Int = 16 * 1024
    public var maxHeaderCount: Int = 100
    public var maxBodyBytes: Int = 4 * 1024 * 1024
    /// From the accept (TLS handshake included) to the end of the first request's head, and from the first byte of
    /// each later request to the end of its head: bounds silent peers and slowloris.
    public var headerTimeout: Duration = .seconds(10)
    /// From the end of the head to the end of the body.
    public var bodyTimeout: Duration = .seconds(30)
    /// From the start of a response to its last byte reaching the socket.
    public var writeTimeout: Duration = .seconds(30)
    /// A kept-alive connection with no request, after it answered one, is closed after this. Longer than the API server's own idle
    /// timeout (90 s), so it is always the client that closes an idle connection, never racing a new request.
    public var idleTimeout: Duration = .seconds(120)
    /// On shutdown, requests in flight get this long to finish before their connections are closed.
    public var shutdownGracePeriod: Duration = .seconds(10)

    public init(host: String = "::", port: Int) {
        self.host = host
        self.port = port
    }
}
