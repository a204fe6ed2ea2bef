import Healing
import LeaderElection
import Synchronization
import Webhook

/// Healing with leader election: the elector campaigns, and each term as the leader runs a scheduler of its own,
/// made fresh (it resyncs at once and resumes the windows stored on the nodes) and cancelled when the term ends,
/// so no in-memory state outlives a term. Callbacks go to the scheduler of the term in progress.
final class LeaderElectedHealing: Sendable {
    let elector: LeaderElector
    private let makeScheduler: @Sendable () -> HealingScheduler
    private let metrics: HealingMetrics
    private let current = Mutex<HealingScheduler?>(nil)

    init(elector: LeaderElector, metrics: HealingMetrics, makeScheduler: @escaping @Sendable () -> HealingScheduler) {
        self.elector = elector
        self.metrics = metrics
        self.makeScheduler = makeScheduler
    }

    /// The scheduler of the term in progress; `nil` on a follower.
    var scheduler: HealingScheduler? { current.withLock { $0 } }

    func run() async {
        await elector.run { [self] in
            let scheduler = makeScheduler()
            current.withLock { $0 = scheduler }
            await scheduler.run()
            current.withLock { $0 = nil }
            metrics.clearNodeCounts()
        }
    }
}

/// The webhook's callbacks, handed to the leader's scheduler; a follower has none and leaves them to the leader.
struct LeaderNodeEventSink: NodeEventSink {
    let healing: LeaderElectedHealing

    func nodeChanged(_ event: NodeEvent) {
        guard let scheduler = healing.scheduler else { return }
        SchedulerNodeEventSink(scheduler: scheduler).nodeChanged(event)
    }
}
