public import Prometheus

/// The webhook's metrics, declared on the registry passed in.
public struct WebhookMetrics: Sendable {
    /// Label values of `result`: the review was answered (`allowed`), was about something other than a Node
    /// (`ignored`), was a dry run (`dry_run`), or was refused with a 4xx (`invalid`).
    public enum Result: String, Sendable, CaseIterable {
        case allowed, ignored
        case dryRun = "dry_run"
        case invalid
    }

    static let operations = ["CREATE", "UPDATE", "DELETE", "CONNECT", "unknown"]

    /// By operation, then result: looked up per request without building a key.
    private let requests: [String: [Result: Counter]]
    let latency: DurationHistogram

    public init(registry: PrometheusCollectorRegistry) {
        var requests: [String: [Result: Counter]] = [:]
        for operation in Self.operations {
            for result in Result.allCases {
                requests[operation, default: [:]][result] = registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        metricName: "cops_vigilante_admission_requests_total", unitName: "",
                        helpText: "AdmissionReview requests answered, by operation and result."),
                    labels: [("operation", operation), ("result", result.rawValue)])
            }
        }
        self.requests = requests
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_admission_duration_seconds", unitName: "",
                helpText: "Time to decode and answer an AdmissionReview, from the complete request to the response."),
            buckets: [
                .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .seconds(1),
            ])
    }

    func record(operation: String?, result: Result, duration: Duration) {
        (operation.flatMap { requests[$0] } ?? requests["unknown"])?[result]?.increment()
        latency.record(duration)
    }
}
