import Dispatch
import Synchronization

/// The libcurl transport: each request runs on a handle from the pool, on a dispatch queue of its own, because
/// `curl_easy_perform` blocks its thread for the whole exchange and must not hold a thread of the Swift
/// concurrency pool. The caller awaits a continuation that the queue resumes.
final class CurlTransport: HTTPTransport {
    private let settings: CurlSettings
    private let pool: CurlHandlePool
    private let queue = DispatchQueue(label: "cops-vigilante.kubernetes-client.curl", attributes: .concurrent)
    /// Connections opened so far: with reuse, far fewer than requests.
    let connectionsOpened = Atomic<Int>(0)

    init(settings: CurlSettings, maxIdleConnections: Int) {
        self.settings = settings
        pool = CurlHandlePool(maxIdle: maxIdleConnections)
    }

    func perform(_ request: TransportRequest) async -> TransportResult {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                guard let easy = pool.take() else {
                    // 2 is CURLE_FAILED_INIT, what curl_easy_init's failure means.
                    continuation.resume(
                        returning: .failure(
                            TransportFailure(code: 2, message: "libcurl could not create a handle", kind: .permanent)))
                    return
                }
                let result = easy.perform(request, settings: settings)
                connectionsOpened.add(easy.connectionsOpened, ordering: .relaxed)
                pool.give(easy)
                continuation.resume(returning: result)
            }
        }
    }
}
