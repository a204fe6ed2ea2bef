/// Where the Lease is and how the election is timed, with client-go's meaning of each duration.
public struct LeaderElectionConfiguration: Sendable, Equatable {
    public var namespace: String
    public var leaseName: String
    /// This replica's name in `holderIdentity`; unique among the replicas.
    public var identity: String
    /// How long followers wait, after they last saw the Lease change, before they take it over.
    public var leaseDuration: Duration
    /// How long the leader keeps acting without a successful renewal; shorter than `leaseDuration`, so the leader
    /// has stopped before any follower may take over.
    public var renewDeadline: Duration
    /// How often the leader renews and followers try to acquire.
    public var retryPeriod: Duration

    public init(
        namespace: String, leaseName: String, identity: String, leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)
    ) {
        self.namespace = namespace
        self.leaseName = leaseName
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    /// `leaseDurationSeconds` as written into the Lease (whole seconds, at least 1).
    var leaseDurationSeconds: Int { max(1, Int((leaseDuration / .seconds(1)).rounded(.up))) }
}
