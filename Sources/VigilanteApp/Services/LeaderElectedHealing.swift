import Healing
import LeaderElection
import Synchronization
import Webhook

/// Healing with leader election: the elector campaigns, and each term as the leader runs a scheduler of its own,
/// made fresh (it resyncs at once and resumes the windows stored on the nodes) and cancelled when the term ends,
/// so no in-memory state outlives a term. Callbacks that reach the leader go to that scheduler; those that reach a
/// follower are dropped there, and the leader learns of the change from its watch of Windows nodes.
final class LeaderElectedHealing: Sendable {
    let elector: LeaderElector
    private let makeScheduler: @Sendable () -> HealingScheduler
    private let makeWatch: @Sendable (HealingScheduler) -> WindowsNodeWatch
    private let metrics: HealingMetrics
    private let current = Mutex<HealingScheduler?>(nil)

    init(
        elector: LeaderElector, metrics: HealingMetrics,
        makeScheduler: @escaping @Sendable () -> HealingScheduler,
        makeWatch: @escaping @Sendable (HealingScheduler) -> WindowsNodeWatch
    ) {
        self.elector = elector
        self.metrics = metrics
        self.makeScheduler = makeScheduler
        self.makeWatch = makeWatch
    }

    /// The scheduler of the term in progress; `nil` on a follower.
    var scheduler: HealingScheduler? { current.withLock { $0 } }

    func run() async {
        await elector.run { [self] in
            let scheduler = makeScheduler()
            let watch = makeWatch(scheduler)
            current.withLock { $0 = scheduler }
            // Both run until the term ends; the watch feeds the scheduler the changes that reached followers.
            await withDiscardingTaskGroup { group in
                group.addTask { await scheduler.run() }
                group.addTask { await watch.run() }
            }
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
