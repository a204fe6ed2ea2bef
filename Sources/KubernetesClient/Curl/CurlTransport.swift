import Dispatch
import Synchronization

/// The libcurl transport: each request runs on a handle from the pool, on a dispatch queue of its own, because
/// `curl_easy_perform` blocks its thread for the whole exchange and must not hold a thread of the Swift
/// concurrency pool. The caller awaits a continuation that the queue resumes; cancelling the caller's task aborts
/// the transfer (within about a second, libcurl's progress callback interval while it waits).
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
        await transfer(request, sink: nil)
    }

    func stream(_ request: TransportRequest, onBody: @escaping BodySink) async -> TransportResult {
        await transfer(request, sink: onBody)
    }

    private func transfer(_ request: TransportRequest, sink: BodySink?) async -> TransportResult {
        let cancellation = CurlCancellation()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                perform(request, cancellation: cancellation, sink: sink) { continuation.resume(returning: $0) }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    private func perform(
        _ request: TransportRequest, cancellation: CurlCancellation, sink: BodySink?,
        then finish: @escaping @Sendable (TransportResult) -> Void
    ) {
        queue.async { [self] in
            guard !cancellation.isCancelled else {
                // 42 is CURLE_ABORTED_BY_CALLBACK, what a transfer cancelled midway ends with.
                return finish(.failure(TransportFailure(code: 42, message: "cancelled", kind: .permanent)))
            }
            guard let easy = pool.take() else {
                // 2 is CURLE_FAILED_INIT, what curl_easy_init's failure means.
                return finish(
                    .failure(TransportFailure(code: 2, message: "libcurl could not create a handle", kind: .permanent)))
            }
            let result = easy.perform(request, settings: settings, cancellation: cancellation, sink: sink)
            connectionsOpened.add(easy.connectionsOpened, ordering: .relaxed)
            pool.give(easy)
            finish(result)
        }
    }
}
