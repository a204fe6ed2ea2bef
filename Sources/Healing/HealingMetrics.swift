public import Prometheus
import Synchronization

/// The healing task's metrics, declared on the registry passed in.
///
/// The two v1.2.1 counters keep their names and meaning, but their names lack the `_total` suffix that
/// `promtool check metrics` requires of counters; they are exposed as `untyped` (the value only grows), written
/// by `emitCompatibilityCounters`, so that existing dashboards keep working and the exposition stays lint-clean.
public final class HealingMetrics: Sendable {
    private let attempts = Atomic<Int>(0)
    private let notReadySightings = Atomic<Int>(0)
    private let nodesByPhase: [HealingPhase: Gauge]
    let nodesHealed: Counter
    let healingErrors: Counter
    let queueDepth: Gauge
    let droppedEvents: Counter
    let resyncFailures: Counter
    let paused: Gauge
    let podsPredatingHealing: Gauge
    let timeToFirstProbe: DurationHistogram
    let longestWindow: Gauge
    let healingDuration: Gauge
    let timeToHealed: DurationHistogram
    private let probeSandboxes: [ProbeOutcome: Counter]

    public init(registry: PrometheusCollectorRegistry) {
        var gauges: [HealingPhase: Gauge] = [:]
        for phase in HealingPhase.allCases {
            gauges[phase] = registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    metricName: "cops_vigilante_snat_nodes", unitName: "",
                    helpText: "Windows nodes tracked, by healing state."), labels: [("state", phase.rawValue)])
        }
        nodesByPhase = gauges
        nodesHealed = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_nodes_healed_total", unitName: "", helpText: "Nodes marked healed."))
        healingErrors = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_healing_errors_total", unitName: "",
                helpText: "Failed healing steps (API errors)."))
        queueDepth = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_queue_depth", unitName: "",
                helpText: "Node events waiting for the scheduler."))
        var outcomes: [ProbeOutcome: Counter] = [:]
        for outcome in ProbeOutcome.allCases {
            outcomes[outcome] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "cops_vigilante_snat_probe_sandboxes_total", unitName: "",
                    helpText: "Probe pods by how they ended: created (got a sandbox with an IP), unschedulable, "
                        + "sandbox_failed (the kubelet could not create it), timeout (no sandbox in time)."),
                labels: [("result", outcome.rawValue)])
        }
        probeSandboxes = outcomes
        droppedEvents = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_dropped_events_total", unitName: "",
                helpText: "Node events dropped because the queue was full; the next resync recovers them."))
        paused = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_paused", unitName: "",
                helpText: "1 while healing is paused (tasks.snat.paused): no window starts, no probe pod is made."))
        podsPredatingHealing = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_pods_predating_healing", unitName: "",
                helpText: "Workload pods on healed nodes that started before the node's first verified sandbox, "
                    + "as found when each node was healed: they keep the old SNAT configuration until restarted."))
        // Seconds to an hour and more: a first probe comes within seconds unless the rate limit queues it; healing
        // takes the window (30 min by default), longer when it is extended or a retry window follows.
        let healingBuckets: [Duration] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1200, 1800, 2100, 2400, 3600, 7200]
            .map { .seconds($0) }
        timeToFirstProbe = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_time_to_first_probe_seconds", unitName: "",
                helpText: "From the start of a node's healing window (it was first seen Ready) to its first probe pod."),
            buckets: healingBuckets)
        timeToHealed = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_time_to_healed_seconds", unitName: "",
                helpText: "From the start of a node's healing window (stored on the node) to the node marked healed."),
            buckets: healingBuckets)
        longestWindow = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_longest_window_seconds", unitName: "",
                helpText: "Age of the oldest healing window in progress (0 when none): a node stuck in its window "
                    + "shows here long past the healing duration."))
        healingDuration = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_healing_duration_seconds", unitName: "",
                helpText: "The configured healing window (tasks.snat.healing_duration), for alerts to compare with."))
        resyncFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_snat_resync_failures_total", unitName: "",
                helpText: "Node resyncs that failed or were abandoned (a listing that would not end); each is "
                    + "retried with backoff."))
    }

    func recordAttempt() { attempts.add(1, ordering: .relaxed) }
    func recordProbe(_ outcome: ProbeOutcome) { probeSandboxes[outcome]?.increment() }
    func recordNotReadySighting() { notReadySightings.add(1, ordering: .relaxed) }

    func setLongestWindow(_ seconds: Double) {
        longestWindow.set(to: seconds)
    }

    public func setHealingDuration(_ duration: Duration) {
        healingDuration.set(to: duration / .seconds(1))
    }

    func setPodsPredatingHealing(_ count: Int) {
        podsPredatingHealing.set(to: Double(count))
    }

    public func setPaused(_ isPaused: Bool) {
        paused.set(to: isPaused ? 1 : 0)
    }

    /// Zero nodes and an empty queue: a replica that stops leading no longer tracks any node.
    public func clearNodeCounts() {
        setCounts([:])
        queueDepth.set(to: 0)
    }

    func setCounts(_ counts: [HealingPhase: Int]) {
        for (phase, gauge) in nodesByPhase { gauge.set(to: Double(counts[phase] ?? 0)) }
    }

    public var attemptCount: Int { attempts.load(ordering: .relaxed) }
    public var notReadySightingCount: Int { notReadySightings.load(ordering: .relaxed) }

    /// Appends the two v1.2.1 counters to an exposition.
    public func emitCompatibilityCounters(into buffer: inout [UInt8]) {
        let text = """
            # HELP \(SnatNames.healingAttemptsMetric) Probe rounds: one per healing node per interval (v1.2.1 name).
            # TYPE \(SnatNames.healingAttemptsMetric) untyped
            \(SnatNames.healingAttemptsMetric) \(attemptCount)
            # HELP \(SnatNames.notReadyNodesMetric) Not-ready Windows nodes seen, one per node per evaluation (v1.2.1 name).
            # TYPE \(SnatNames.notReadyNodesMetric) untyped
            \(SnatNames.notReadyNodesMetric) \(notReadySightingCount)

            """
        buffer.append(contentsOf: text.utf8)
    }
}
