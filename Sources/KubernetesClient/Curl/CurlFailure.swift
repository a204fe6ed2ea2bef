internal import CCurl

extension TransportFailure {
    /// Sorts a libcurl error: TLS verification failures and unusable requests are final, a timeout and every
    /// connection problem (refused, reset, dropped mid-answer, name resolution) are worth another attempt.
    init(code: CURLcode, detail: String) {
        let text = String(cString: curl_easy_strerror(code))
        let explained = detail.isEmpty || detail == text ? text : "\(text): \(detail)"
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            self.init(code: Int(code.rawValue), message: explained, kind: .timeout)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE,
            CURLE_USE_SSL_FAILED:
            self.init(
                code: Int(code.rawValue), message: "TLS: the API server could not be verified: \(explained)", kind: .tls
            )
        case CURLE_SSL_CONNECT_ERROR:
            // Also what a connection reset during the handshake gives, so it is retried.
            self.init(code: Int(code.rawValue), message: "TLS handshake failed: \(explained)", kind: .connection)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_FAILED_INIT, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN,
            CURLE_OUT_OF_MEMORY, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION, CURLE_BAD_CONTENT_ENCODING,
            CURLE_TOO_MANY_REDIRECTS, CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            self.init(code: Int(code.rawValue), message: explained, kind: .permanent)
        default:
            self.init(code: Int(code.rawValue), message: explained, kind: .connection)
        }
    }
}
