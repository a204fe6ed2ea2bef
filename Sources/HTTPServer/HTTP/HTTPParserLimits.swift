/// Size limits the parser enforces while bytes arrive, so no client can make it buffer without bound.
/// Time limits (header, body, idle) belong to the connection, which knows the clock.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line plus header fields plus the empty line that ends them; default 16 KiB. Over it → 431,
    /// detected as soon as that many bytes are buffered without the end of the head.
    public var maxHeaderBytes: Int
    /// Header field lines per request; default 100. Over it → 431.
    public var maxHeaderCount: Int
    /// Decoded body bytes; no default, the caller's configuration decides. Over it → 413, before the body is read
    /// when `Content-Length` announces it, as soon as a chunk size crosses it for chunked bodies.
    public var maxBodyBytes: Int
    /// One chunk-size line without its CRLF (hex size plus extensions); default 1 KiB. Over it → 400.
    /// The extensions of all chunks of one request together may not exceed `maxHeaderBytes` either, so a client
    /// cannot keep the parser busy with tiny chunks carrying long extensions (the shape of CVE-2024-22019).
    public var maxChunkLineBytes: Int

    public init(
        maxBodyBytes: Int,
        maxHeaderBytes: Int = 16 * 1024,
        maxHeaderCount: Int = 100,
        maxChunkLineBytes: Int = 1024
    ) {
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.maxHeaderBytes = max(1, maxHeaderBytes)
        self.maxHeaderCount = max(0, maxHeaderCount)
        self.maxChunkLineBytes = max(1, maxChunkLineBytes)
    }
}
