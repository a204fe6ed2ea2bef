import Foundation
/// Where the API server is and how to authenticate to it, resolved from a kubeconfig or the in-cluster service
/// account by `ClusterConfigLoader`. Certificates and keys are held in memory (PEM) and handed to libcurl as
/// blobs, never written to a temporary file.
///
/// Its `description` names the server and the kinds of credentials, never a token or key.
public struct ClusterConfig: Sendable, CustomStringConvertible {
    /// The API server's base URL without a trailing slash, e.g. `https://10.0.0.1:443`.
    public var server: String
    /// The CA bundle to verify the server with (PEM); `nil` uses the system's trust store.
    public var certificateAuthorityPEM: [UInt8]?
    /// The client certificate (PEM, chain allowed) and its key, for certificate authentication.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var token: BearerToken
    /// Skip verifying the server's certificate (kubeconfig `insecure-skip-tls-verify`); for test clusters only.
    public var insecureSkipTLSVerify: Bool
    /// The context's namespace, else the service account's, else `default`.
    public var namespace: String
    /// Where this came from, for the start log: `kubeconfig /path (context aks)` or `in-cluster service account`.
    public var origin: String

    public init(
        server: String, certificateAuthorityPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil,
        clientKeyPEM: [UInt8]? = nil, token: BearerToken = .none, insecureSkipTLSVerify: Bool = false,
        namespace: String = "default", origin: String
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.token = token
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.namespace = namespace
        self.origin = origin
    }

    public var description: String {
        var parts = ["server \(server)", "from \(origin)"]
        if certificateAuthorityPEM != nil { parts.append("cluster CA") }
        if clientCertificatePEM != nil { parts.append("client certificate") }
        parts.append("\(token)")
        if insecureSkipTLSVerify { parts.append("TLS verification OFF") }
        return parts.joined(separator: ", ")
    }
}

/// The bearer token of a cluster config: none, a fixed value, or a file that is re-read (bound service-account
/// tokens rotate; the kubelet rewrites the file). Printing it never shows the token.
public enum BearerToken: Sendable, Equatable, CustomStringConvertible {
    case none
    case value(String)
    /// Read at start, then again at least every `tokenRefreshInterval` and after a 401.
    case file(path: String)

    public var description: String {
        switch self {
        case .none: "no token"
        case .value: "token (redacted)"
        case .file(let path): "token file \(path)"
        }
    }
}

extension BearerToken {
    /// Why `token` (already trimmed of surrounding whitespace) cannot go into an `Authorization` header, or `nil`.
    /// A CR or LF would end the header and start another one of the file's choosing; Go's HTTP client, under
    /// client-go, refuses such a value too.
    static func problem(with token: String) -> String? {
        guard let bad = token.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let name =
            switch bad {
            case "\r": "a carriage return (CR)"
            case "\n": "a line feed (LF)"
            case "\0": "a NUL byte"
            default: "the control character U+\(String(bad.value, radix: 16, uppercase: true))"
            }
        return "holds \(name) inside the token; a bearer token is one line of printable text"
    }

    /// The token in a token file: the file's text without surrounding whitespace (a trailing newline is usual).
    static func fromFile(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
