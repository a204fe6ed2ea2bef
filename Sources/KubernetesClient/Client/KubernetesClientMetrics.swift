import Kubernetes
public import Prometheus

/// The client's metrics, declared on the registry passed in: every HTTP attempt (retries included) is counted by
/// logical call and status, and timed.
///
/// - `cops_vigilante_kube_api_requests_total{verb,code}`: `code` is the HTTP status, or `error` when no answer
///   came (connection refused or dropped, TLS failure, timeout).
/// - `cops_vigilante_kube_api_request_duration_seconds{verb}`: from sending to the complete answer.
public struct KubernetesClientMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let durations: [KubernetesVerb: DurationHistogram]

    static let requestsName = "cops_vigilante_kube_api_requests_total"
    static let durationName = "cops_vigilante_kube_api_request_duration_seconds"
    /// Computed: swift-prometheus' descriptor is not `Sendable`, so it cannot be a stored static.
    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: requestsName, unitName: "",
            helpText: "Kubernetes API requests (each retry counted), by logical call and status.")
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var durations: [KubernetesVerb: DurationHistogram] = [:]
        for verb in KubernetesVerb.allCases {
            durations[verb] = registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    metricName: Self.durationName, unitName: "",
                    helpText: "Time of one Kubernetes API request (each retry separately), by logical call."),
                labels: [("verb", verb.rawValue)],
                buckets: [
                    .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                    .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
                    .seconds(30),
                ])
        }
        self.durations = durations
    }

    /// Records one attempt; `status` is `nil` when there was no HTTP answer.
    func record(verb: KubernetesVerb, status: Int?, duration: Duration) {
        // The registry hands back the same counter for the same name and labels, so codes need no list up front.
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("verb", verb.rawValue), ("code", status.map { "\($0)" } ?? "error")]
        ).increment()
        durations[verb]?.record(duration)
    }
}
