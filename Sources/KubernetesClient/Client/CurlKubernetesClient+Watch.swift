import Foundation
public import Kubernetes
import Synchronization

extension CurlKubernetesClient: NodeWatchAPI {
    /// Longest line of a watch stream: one Node, which etcd keeps under 1.5 MiB.
    static let maxWatchLineBytes = 4 << 20

    public func watchNodes(
        labelSelector: String?, resourceVersion: String?, timeoutSeconds: Int,
        onEvent: @escaping @Sendable (NodeWatchEvent) -> Void
    ) async throws(KubernetesError) {
        let query = APIPath.query([
            "watch": "true", "allowWatchBookmarks": "true", "labelSelector": labelSelector,
            "resourceVersion": resourceVersion, "timeoutSeconds": "\(timeoutSeconds)",
        ])
        var request = TransportRequest(method: "GET", path: "/api/v1/nodes" + query)
        // The server ends the watch after timeoutSeconds; the client gives it a minute more.
        request.timeout = .seconds(timeoutSeconds + 60)
        let reader = WatchStreamReader(onEvent: onEvent)
        let call = KubernetesCall(verb: .watchNodes, method: "GET", path: request.path, attempts: 1)
        do {
            try await executor.stream(request, verb: .watchNodes) { bytes in reader.read(bytes) }
        } catch {
            // A refused line says more than the aborted transfer it caused.
            if let problem = reader.problem { throw reader.error(problem, call: call) }
            throw error
        }
        if let problem = reader.problem { throw reader.error(problem, call: call) }
    }
}

/// Turns a watch stream's bytes into events on the transfer's thread, which calls it once at a time.
private final class WatchStreamReader: Sendable {
    enum Problem {
        case malformed(String)
        case status(Status)
    }

    private struct State {
        var splitter = WatchLineSplitter(maxLineBytes: CurlKubernetesClient.maxWatchLineBytes)
        var problem: Problem?
    }

    private let state = Mutex(State())
    private let onEvent: @Sendable (NodeWatchEvent) -> Void

    init(onEvent: @escaping @Sendable (NodeWatchEvent) -> Void) {
        self.onEvent = onEvent
    }

    var problem: Problem? { state.withLock { $0.problem } }

    /// Delivers the events of the complete lines; false (stop the transfer) on a line that is too long or
    /// malformed, or an ERROR event.
    func read(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let lines = state.withLock { $0.splitter.append(bytes) }
        guard let lines else {
            state.withLock {
                $0.problem = .malformed("a watch event longer than \(CurlKubernetesClient.maxWatchLineBytes) bytes")
            }
            return false
        }
        for line in lines {
            do {
                switch try WatchLine.decode(line) {
                case .event(let event):
                    onEvent(event)
                case .error(let status):
                    state.withLock { $0.problem = .status(status) }
                    return false
                }
            } catch {
                state.withLock { $0.problem = .malformed("\(error)") }
                return false
            }
        }
        return true
    }

    func error(_ problem: Problem, call: KubernetesCall) -> KubernetesError {
        switch problem {
        case .malformed(let message):
            return .decoding(call, message: message)
        case .status(let status):
            return KubernetesError(
                httpStatus: status.code ?? 500, status: status, retryAfter: nil, rawBody: nil, call: call)
        }
    }
}
