import Dispatch

/// The libcurl transport: each request runs on a handle from the pool, on a dispatch queue of its own, because
/// `curl_easy_perform` blocks its thread for the whole exchange and must not hold a thread of the Swift
/// concurrency pool. The caller awaits a continuation that the queue resumes.
final class CurlTransport: HTTPTransport {
    private let settings: CurlSettings
    private let pool: CurlHandlePool
    private let queue = DispatchQueue(label: "cops-vigilante.kubernetes-client.curl", attributes: .concurrent)

    init(settings: CurlSettings, maxIdleConnections: Int) {
        self.settings = settings
        pool = CurlHandlePool(maxIdle: maxIdleConnections)
    }

    func perform(_ request: TransportRequest) async -> TransportResult {
        await withCheckedContinuation { continuation in
            queue.async { [settings, pool] in
                guard let easy = pool.take() else {
                    continuation.resume(
                        returning: .failure(
                            TransportFailure(code: 2, message: "libcurl could not create a handle", kind: .permanent)))
                    return
                }
                let result = easy.perform(request, settings: settings)
                pool.give(easy)
                continuation.resume(returning: result)
            }
        }
    }
}
