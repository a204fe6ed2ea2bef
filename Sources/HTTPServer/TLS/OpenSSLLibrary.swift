internal import COpenSSL

/// The OpenSSL library this process runs with (the shared library loaded at run time, not the headers).
public enum OpenSSLLibrary {
    /// For example "OpenSSL 3.0.17 1 Jul 2025".
    public static var versionText: String {
        String(cString: vigilante_openssl_version_text())
    }
}
