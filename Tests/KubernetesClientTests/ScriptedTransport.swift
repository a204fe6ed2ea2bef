import Logging
import Prometheus
import Synchronization

@testable import KubernetesClient

/// A transport that answers from a script, for unit tests of the retry loop: each request takes the next result
/// (the last one repeats) and is recorded.
final class ScriptedTransport: HTTPTransport {
    private let state: Mutex<(script: [TransportResult], requests: [TransportRequest])>

    init(_ script: [TransportResult]) {
        state = Mutex((script, []))
    }

    func perform(_ request: TransportRequest) async -> TransportResult {
        state.withLock { state in
            state.requests.append(request)
            return state.script.count > 1 ? state.script.removeFirst() : state.script[0]
        }
    }

    var requests: [TransportRequest] { state.withLock { $0.requests } }

}

extension TransportResult {
    static func status(_ code: Int, retryAfter: String? = nil, body: String = "") -> TransportResult {
        .response(TransportResponse(status: code, retryAfter: retryAfter, body: Array(body.utf8)))
    }

    static func failure(_ kind: TransportFailure.Kind, code: Int = 7) -> TransportResult {
        .failure(TransportFailure(code: code, message: "scripted failure", kind: kind))
    }
}

extension RequestExecutor {
    /// An executor over `transport` with the stepping clock, a fixed random value and no practical rate limit.
    static func scripted(
        _ transport: ScriptedTransport, clock: SteppingClock, policy: RetryPolicy, random: Double = 0,
        token: BearerToken = .value("t"), qps: Double = 1_000_000, burst: Int = 1_000_000,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) -> RequestExecutor {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        return RequestExecutor(
            transport: transport,
            tokens: TokenSource(token, refreshInterval: .seconds(60), clock: clock, logger: logger),
            rateLimiter: RateLimiter(qps: qps, burst: burst, clock: clock), policy: policy, clock: clock,
            random: { random }, metrics: KubernetesClientMetrics(registry: registry), logger: logger)
    }
}
