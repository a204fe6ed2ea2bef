import HTTPServer
import KubernetesClient

/// What this binary is: its version, the commit it was built from, and the C libraries it runs with.
public enum BuildInfo {
    public static let version = "0.1.0"
    /// Written at build time by `BuildInfoPlugin`.
    public static let commit = buildCommit
    public static let product = "cops-vigilante"

    public static var openSSLVersion: String { OpenSSLLibrary.versionText }
    public static var curlVersion: String { CurlLibrary.versionText }
    public static var curlTLSBackend: String { CurlLibrary.tlsBackendText }

    /// The lines `vigilante version` prints.
    public static var versionReport: String {
        """
        \(product) \(version)
        commit: \(commit)
        openssl: \(openSSLVersion)
        libcurl: \(curlVersion) (\(curlTLSBackend))
        """
    }
}
