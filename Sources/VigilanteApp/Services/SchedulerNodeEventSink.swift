import Healing
import Kubernetes
import Webhook

/// Where the webhook and the scheduler meet: each Node callback the webhook decodes is queued for the scheduler as
/// a hint (name and change); the scheduler reads the node from the API server before it acts.
struct SchedulerNodeEventSink: NodeEventSink {
    let scheduler: HealingScheduler

    func nodeChanged(_ event: NodeEvent) {
        let change: NodeHint.Change =
            switch event.operation {
            case .create: .created
            case .update: .updated(previousResourceVersion: event.previousResourceVersion)
            case .delete: .deleted
            }
        scheduler.enqueue(NodeHint(name: event.node.name, change: change))
    }
}
