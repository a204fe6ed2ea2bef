internal import CCurl

/// The libcurl this process runs with, and the TLS library libcurl itself was built against.
public enum CurlLibrary {
    /// For example "8.14.1".
    public static var versionText: String {
        String(cString: vigilante_curl_version_text())
    }

    /// For example "OpenSSL/3.0.17"; empty when libcurl has no TLS support.
    public static var tlsBackendText: String {
        String(cString: vigilante_curl_ssl_version_text())
    }
}
