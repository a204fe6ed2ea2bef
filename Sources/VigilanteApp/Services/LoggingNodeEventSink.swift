import Kubernetes
import Logging
import Webhook

/// Logs each Node event (at debug level): the sink when `tasks.snat.enabled` is false.
struct LoggingNodeEventSink: NodeEventSink {
    let logger: Logger

    func nodeChanged(_ event: NodeEvent) {
        logger.debug(
            "Node event",
            metadata: [
                "node": "\(event.node.name)", "operation": "\(event.operation.rawValue)",
                "subresource": "\(event.subResource ?? "")", "windows": "\(event.node.isWindows)",
                "ready": "\(event.node.isReady)",
            ])
    }
}
