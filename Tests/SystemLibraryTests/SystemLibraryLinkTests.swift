import HTTPServer
import KubernetesClient
import Testing

/// Proves the system-library targets link: each call below goes into the real shared library.
@Suite struct SystemLibraryLinkTests {
    @Test func openSSL_reportsAVersionThreeOrLater() {
        let text = OpenSSLLibrary.versionText
        #expect(text.hasPrefix("OpenSSL 3."), "got \(text)")
    }

    @Test func curl_reportsItsVersionAndAnOpenSSLBackend() {
        #expect(CurlLibrary.versionText.split(separator: ".").count >= 2, "got \(CurlLibrary.versionText)")
        #expect(CurlLibrary.tlsBackendText.hasPrefix("OpenSSL/"), "got \(CurlLibrary.tlsBackendText)")
    }
}
