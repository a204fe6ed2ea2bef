internal import CCurl

/// Sets options on one easy handle through the typed shims, remembering the first that failed (all are set
/// before `curl_easy_perform`, and a failure is reported then).
struct CurlOptions {
    let handle: UnsafeMutableRawPointer
    private(set) var firstFailure: CURLcode?

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    private mutating func check(_ code: CURLcode) {
        if code != CURLE_OK, firstFailure == nil { firstFailure = code }
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        check(vigilante_curl_setopt_long(handle, option, value))
    }

    /// libcurl copies string options.
    mutating func set(_ option: CURLoption, _ value: String) {
        check(value.withCString { vigilante_curl_setopt_string(handle, option, $0) })
    }

    mutating func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        check(vigilante_curl_setopt_pointer(handle, option, pointer))
    }

    mutating func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) {
        check(vigilante_curl_setopt_slist(handle, option, list))
    }

    /// A blob libcurl copies (certificates and keys from memory, never from a temporary file).
    mutating func set(_ option: CURLoption, blob: [UInt8]) {
        check(blob.withUnsafeBytes { vigilante_curl_setopt_blob_copy(handle, option, $0.baseAddress, $0.count) })
    }

    mutating func setCallback(
        _ option: CURLoption,
        _ callback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    ) {
        check(vigilante_curl_setopt_callback(handle, option, callback))
    }

    /// Aborts the transfer (CURLE_ABORTED_BY_CALLBACK) soon after `cancellation` is set.
    mutating func setCancellation(_ cancellation: CurlCancellation) {
        set(CURLOPT_NOPROGRESS, 0)
        set(CURLOPT_XFERINFODATA, pointer: Unmanaged.passUnretained(cancellation).toOpaque())
        check(
            vigilante_curl_setopt_progress(handle) { context, _, _, _, _ in
                guard let context else { return 0 }
                return Unmanaged<CurlCancellation>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
            })
    }

    /// Verification against the cluster CA only (not the system store as well), and the client certificate.
    mutating func setTLS(_ settings: CurlSettings) {
        set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        if settings.insecureSkipTLSVerify {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        } else if let authority = settings.certificateAuthorityPEM {
            set(CURLOPT_CAINFO_BLOB, blob: authority)
            // Without this libcurl would also trust its built-in CA bundle.
            set(CURLOPT_CAINFO, pointer: nil)
            set(CURLOPT_CAPATH, pointer: nil)
        }
        if let certificate = settings.clientCertificatePEM, let key = settings.clientKeyPEM {
            set(CURLOPT_SSLCERT_BLOB, blob: certificate)
            set(CURLOPT_SSLCERTTYPE, "PEM")
            set(CURLOPT_SSLKEY_BLOB, blob: key)
            set(CURLOPT_SSLKEYTYPE, "PEM")
        }
    }

    /// The method and body: GET by default, POST and PATCH with a copied body, DELETE without one.
    mutating func setMethod(_ request: TransportRequest) {
        switch request.method {
        case "GET":
            set(CURLOPT_HTTPGET, 1)
        default:
            if request.method != "POST" { set(CURLOPT_CUSTOMREQUEST, request.method) }
            if let body = request.body {
                set(CURLOPT_POSTFIELDSIZE, body.count)
                if body.isEmpty {
                    set(CURLOPT_COPYPOSTFIELDS, "")
                } else {
                    check(
                        body.withUnsafeBytes {
                            vigilante_curl_setopt_pointer(
                                handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
                        })
                }
            } else if request.method == "POST" {
                set(CURLOPT_POSTFIELDSIZE, 0)
                set(CURLOPT_COPYPOSTFIELDS, "")
            }
        }
    }
}

/// A `curl_slist` of request headers, freed by the owner after the transfer.
struct CurlHeaderList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    /// Adds one header line; a line with a CR, LF or NUL is not added (it would be two headers, or cut short):
    /// callers check the values they take from files first, this is the last guard.
    @discardableResult
    mutating func append(_ header: String) -> Bool {
        guard !header.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else { return false }
        guard let appended = curl_slist_append(list, header) else { return false }
        list = appended
        return true
    }

    mutating func free() {
        curl_slist_free_all(list)
        list = nil
    }
}
