import Prometheus

extension MetricNameDescriptor {
    /// A full metric name (units already part of it, as `_seconds` or `_total`) with its help text.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
