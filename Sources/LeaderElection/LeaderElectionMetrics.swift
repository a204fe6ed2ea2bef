public import Prometheus

/// `cops_vigilante_leader`, the leadership changes of this replica and its failed Lease renewals.
public final class LeaderElectionMetrics: Sendable {
    let leader: Gauge
    let transitions: Counter
    let renewFailures: Counter

    public init(registry: PrometheusCollectorRegistry) {
        leader = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_leader", unitName: "",
                helpText: "1 while this replica holds the leader Lease and acts as the leader, 0 otherwise."))
        transitions = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_leader_transitions_total", unitName: "",
                helpText: "Times this replica became the leader or stopped being it (lost or released)."))
        renewFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_leader_lease_renew_failures_total", unitName: "",
                helpText: "Attempts of the leader to renew its Lease that failed (API error, conflict, timeout)."))
        leader.set(to: 0)
    }

    /// Without leader election the only replica heals: it is the leader for dashboards and alerts.
    public func markSoleReplica() {
        leader.set(to: 1)
    }
}
