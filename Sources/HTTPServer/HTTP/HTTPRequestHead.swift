/// The request line and header fields of one request, with the framing facts the parser derived from them.
public struct HTTPRequestHead: Sendable, Equatable {
    /// Case-sensitive (RFC 9110 §9.1): "get" is not "GET".
    public var method: String
    /// The request target as received, e.g. "/validate?timeout=10s" or "http://host/validate".
    public var target: String
    /// The path part of the target, without the query; "*" for `OPTIONS *`; "/" for an absolute-form target
    /// without a path. Not percent-decoded.
    public var path: String
    /// The part after the first "?", without it; nil when the target has no "?".
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the connection stays open after the response: HTTP/1.1 unless "Connection: close",
    /// HTTP/1.0 only with "Connection: keep-alive" (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// "Expect: 100-continue" on an HTTP/1.1 request (RFC 9110 §10.1.1; HTTP/1.0 clients do not wait for it).
    public var expectsContinue: Bool
    /// The announced body size; nil for a chunked body or a request without body.
    public var contentLength: Int?

    /// A head as the parser would produce it; `path` and `query` are split from `target` at the first "?".
    /// Tests and handlers build requests with it; every field has the default of a plain HTTP/1.1 GET.
    public init(
        method: String = "GET",
        target: String = "/",
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        keepAlive: Bool = true,
        expectsContinue: Bool = false,
        contentLength: Int? = nil
    ) {
        self.method = method
        self.target = target
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.contentLength = contentLength
    }

    init(
        method: String, target: String, path: String, query: String?, version: HTTPVersion, headers: HTTPHeaders,
        keepAlive: Bool, expectsContinue: Bool, contentLength: Int?
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.contentLength = contentLength
    }
}
