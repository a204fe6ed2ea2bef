public import Kubernetes

/// What the scheduler needs to know, from `tasks.snat.*` and `interval`.
public struct HealingConfiguration: Sendable {
    /// Time between probe rounds of one node.
    public var interval: Duration
    /// The healing window.
    public var window: Duration
    /// Failed API calls (each failed attempt of a retried call counts) in one window after which the node is given
    /// up for that window.
    public var errorThreshold: Int
    /// Full node list and leftover collection.
    public var resyncInterval: Duration
    public var probePod: ProbePod
    /// Mark a node healed only on sandbox evidence (`tasks.snat.verify_sandboxes`); `false` is the original rule:
    /// healed when the window is over (with at least one probe pod created).
    public var verifySandboxes = true
    /// Probe pods that must get their sandbox in a window, one of them created in its last `2 × interval`.
    public var minSandboxes = 3
    /// How long a bound probe pod may wait for its sandbox before it is replaced and counted as missed.
    public var sandboxTimeout: Duration = .seconds(120)
    /// After an unverified window, how long until the next one starts.
    public var retryAfter: Duration = .seconds(600)
    /// Steps of different nodes run at once up to this; a node whose calls hang holds one, never all.
    public var maxConcurrentSteps = 8
    /// Node events waiting at most; more are dropped and counted (the resync recovers them).
    public var inboxCapacity = 10_000
    /// `tasks.snat.paused`: callbacks, resyncs and metrics go on, but no step runs (no window is stored, no probe pod
    /// made); windows already stored on the nodes resume when unpaused.
    public var paused = false
    /// `tasks.snat.startup_taint`: the taint Windows nodes join with, which keeps workloads off them until they are
    /// healed; removed once a node is marked healed. Probe pods tolerate it.
    public var startupTaint: Taint?
    /// `tasks.snat.report_pods_predating_healing`: when a node is healed, name the workload pods on it that started
    /// before its first verified sandbox (they keep the old SNAT configuration).
    public var reportPodsPredatingHealing = true
    /// `tasks.snat.evict_pods_predating_healing`: evict those pods through the Eviction API (PodDisruptionBudgets
    /// honoured: a 429 is asked again later, with backoff; a pod is never deleted directly).
    public var evictPodsPredatingHealing = false
    /// Who reports the Events (`reportingInstance`): the pod's name.
    public var reportingInstance: String

    public init(
        interval: Duration, window: Duration, errorThreshold: Int, resyncInterval: Duration, probePod: ProbePod,
        reportingInstance: String
    ) {
        self.interval = interval
        self.window = window
        self.errorThreshold = errorThreshold
        self.resyncInterval = resyncInterval
        self.probePod = probePod
        self.reportingInstance = reportingInstance
    }
}
