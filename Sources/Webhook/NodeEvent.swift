public import Kubernetes

/// A change to a Node, as the API server announced it to the webhook (before storing it).
public struct NodeEvent: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case create = "CREATE"
        case update = "UPDATE"
        case delete = "DELETE"
    }

    public var operation: Operation
    /// The Node as it will be after the change; for DELETE, as it was.
    public var node: Node
    /// `status` for an update of `nodes/status`, where a node turns Ready.
    public var subResource: String?
    /// For UPDATE: the `resourceVersion` the node had when the API server called (its `oldObject`'s).
    public var previousResourceVersion: String?

    public init(
        operation: Operation, node: Node, subResource: String? = nil, previousResourceVersion: String? = nil
    ) {
        self.operation = operation
        self.node = node
        self.subResource = subResource
        self.previousResourceVersion = previousResourceVersion
    }
}

/// Receives Node events from the webhook. It must return at once (the API server is waiting for the answer):
/// a scheduler queues the event and works on it elsewhere.
public protocol NodeEventSink: Sendable {
    func nodeChanged(_ event: NodeEvent)
}
