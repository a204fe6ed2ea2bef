/// What every request of one client shares: the server, TLS material (PEM in memory, given to libcurl as blobs
/// that it copies), timeouts and identification.
struct CurlSettings: Sendable {
    /// Base URL without a trailing slash.
    var server: String
    var certificateAuthorityPEM: [UInt8]?
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    var insecureSkipTLSVerify: Bool
    var connectTimeout: Duration
    /// The whole exchange, connecting included.
    var requestTimeout: Duration
    var userAgent: String
    /// Larger answers are refused (an unpaginated list of a huge cluster should not take the process down).
    var maxBodyBytes: Int
}

extension Duration {
    /// Whole milliseconds, at least 1 (libcurl reads 0 as "no timeout").
    var curlMilliseconds: Int {
        max(1, Int(self / .milliseconds(1)))
    }
}
