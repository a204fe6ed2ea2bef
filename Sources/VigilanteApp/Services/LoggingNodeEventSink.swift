import Kubernetes
import Logging
import Webhook

/// Logs each Node event. Stands in for the healing scheduler until it exists (TODO(#5)).
struct LoggingNodeEventSink: NodeEventSink {
    let logger: Logger

    func nodeChanged(_ event: NodeEvent) {
        logger.info(
            "Node event",
            metadata: [
                "node": "\(event.node.name)", "operation": "\(event.operation.rawValue)",
                "subresource": "\(event.subResource ?? "")", "windows": "\(event.node.isWindows)",
                "ready": "\(event.node.isReady)",
            ])
    }
}
