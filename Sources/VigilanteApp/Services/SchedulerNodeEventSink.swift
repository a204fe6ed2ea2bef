import Healing
import Kubernetes
import Webhook

/// Where the webhook and the scheduler meet: each Node event the webhook decodes is queued for the scheduler.
struct SchedulerNodeEventSink: NodeEventSink {
    let scheduler: HealingScheduler

    func nodeChanged(_ event: NodeEvent) {
        scheduler.enqueue(event.node, isDeleted: event.operation == .delete)
    }
}
