internal import CCurl

/// One libcurl easy handle and its error buffer, freed in `deinit`.
///
/// A handle keeps its connections (and TLS sessions) open between requests, which is what makes reuse work:
/// `curl_easy_reset` before each request clears the options but keeps the connection cache. It is used by one
/// thread at a time, which `CurlHandlePool` guarantees by handing each handle out to one caller only; hence the
/// unchecked `Sendable`.
final class CurlEasy: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `nil` when libcurl cannot be initialised or is out of memory.
    init?() {
        guard CurlGlobal.isInitialized, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` and waits for the whole answer. Blocks the calling thread: never call it on the Swift
    /// concurrency pool (`CurlTransport` runs it on its own queue).
    func perform(
        _ request: TransportRequest, settings: CurlSettings, cancellation: CurlCancellation, sink: BodySink? = nil
    ) -> TransportResult {
        let result = transfer(request, settings: settings, cancellation: cancellation, sink: sink)
        var opened = 0
        _ = vigilante_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &opened)
        connectionsOpened = opened
        return result
    }

    /// How many new connections the last `perform` had to open (0 when it reused one).
    private(set) var connectionsOpened = 0

    private func transfer(
        _ request: TransportRequest, settings: CurlSettings, cancellation: CurlCancellation, sink: BodySink?
    ) -> TransportResult {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        var options = CurlOptions(handle: handle)
        options.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        options.set(CURLOPT_URL, settings.server + request.path)
        options.set(CURLOPT_PROTOCOLS_STR, "https,http")
        // Threads must not get signals from libcurl's resolver timeouts.
        options.set(CURLOPT_NOSIGNAL, 1)
        // HTTP/1.1: one exchange per connection at a time, so the handle pool is the concurrency and a large list
        // never shares a connection's flow-control window with the small calls.
        options.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        options.set(CURLOPT_TCP_KEEPALIVE, 1)
        options.set(CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeout.curlMilliseconds)
        options.set(CURLOPT_TIMEOUT_MS, (request.timeout ?? settings.requestTimeout).curlMilliseconds)
        options.set(CURLOPT_USERAGENT, settings.userAgent)
        // Every encoding libcurl can decode: the API server gzips large lists when asked.
        options.set(CURLOPT_ACCEPT_ENCODING, "")
        options.setTLS(settings)
        options.setMethod(request)

        var headers = CurlHeaderList()
        headers.append("Accept: application/json")
        // No `Expect: 100-continue` round trip before a body.
        headers.append("Expect:")
        if let contentType = request.contentType { headers.append("Content-Type: \(contentType)") }
        if let token = request.bearerToken { headers.append("Authorization: Bearer \(token)") }
        defer { headers.free() }
        options.set(CURLOPT_HTTPHEADER, list: headers.list)

        let collector = CurlResponseCollector(maxBodyBytes: settings.maxBodyBytes, sink: sink)
        let context = Unmanaged.passUnretained(collector).toOpaque()
        options.set(CURLOPT_WRITEDATA, pointer: context)
        options.set(CURLOPT_HEADERDATA, pointer: context)
        options.setCallback(CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let collector = Unmanaged<CurlResponseCollector>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            return collector.append(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        }
        options.setCallback(CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let collector = Unmanaged<CurlResponseCollector>.fromOpaque(context).takeUnretainedValue()
            collector.header(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        options.setCancellation(cancellation)
        if let failed = options.firstFailure {
            return .failure(TransportFailure(code: failed, detail: "cannot set a libcurl option"))
        }

        let code = withExtendedLifetime((collector, cancellation)) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            if collector.sinkRefused {
                return .failure(
                    TransportFailure(
                        code: Int(code.rawValue), message: "the streamed answer was refused by its reader",
                        kind: .permanent))
            }
            if collector.exceededLimit {
                return .failure(
                    TransportFailure(
                        code: Int(code.rawValue),
                        message: "the answer is larger than \(settings.maxBodyBytes) bytes; use a smaller page size",
                        kind: .permanent))
            }
            return .failure(TransportFailure(code: code, detail: String(cString: errorBuffer)))
        }
        var status = 0
        _ = vigilante_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .response(TransportResponse(status: status, retryAfter: collector.retryAfter, body: collector.body))
    }
}
