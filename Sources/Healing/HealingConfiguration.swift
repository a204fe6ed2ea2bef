/// What the scheduler needs to know, from `tasks.snat.*` and `interval`.
public struct HealingConfiguration: Sendable {
    /// Time between probe rounds of one node.
    public var interval: Duration
    /// The healing window.
    public var window: Duration
    /// Failed steps in one window after which the node is given up for that window.
    public var errorThreshold: Int
    /// Full node list and leftover collection.
    public var resyncInterval: Duration
    public var probePod: ProbePod
    /// Steps of different nodes run at once up to this; a node whose calls hang holds one, never all.
    public var maxConcurrentSteps = 8
    /// Node events waiting at most; more are dropped and counted (the resync recovers them).
    public var inboxCapacity = 10_000
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
