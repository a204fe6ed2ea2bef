/// The logical calls this product makes to the Kubernetes API. The raw values are the `verb` label of
/// `cops_vigilante_kube_api_requests_total` and appear in errors and logs.
public enum KubernetesVerb: String, Sendable, CaseIterable {
    case listNodes = "list_nodes"
    case getNode = "get_node"
    case patchNode = "patch_node"
    case createPod = "create_pod"
    case deletePod = "delete_pod"
    case listPods = "list_pods"
    case listNodePods = "list_node_pods"
    case evictPod = "evict_pod"
    case createEvent = "create_event"
    case listEvents = "list_events"
    case watchNodes = "watch_nodes"
    case getLease = "get_lease"
    case createLease = "create_lease"
    case updateLease = "update_lease"

    /// Whether the call creates an object, so that a 409 answer means "already exists" even without a `Status`.
    public var isCreate: Bool {
        self == .createPod || self == .createEvent || self == .createLease
    }
}
