/// One event of a node watch, as the API server streams it.
public enum NodeWatchEvent: Sendable, Equatable {
    case added(Node)
    case modified(Node)
    case deleted(Node)
    /// Nothing changed up to `resourceVersion` (sent when asked with `allowWatchBookmarks`): a later watch may
    /// start there instead of an older version the server may have compacted away.
    case bookmark(resourceVersion: String)
}

/// The leader's watch of Windows nodes (README, "High availability"), apart from `KubernetesAPI` because only
/// the leader of several replicas uses it.
public protocol NodeWatchAPI: Sendable {
    /// `GET /api/v1/nodes?watch=true&labelSelector=…&resourceVersion=…&allowWatchBookmarks=true&timeoutSeconds=…`:
    /// calls `onEvent` for each event, in order, until the server ends the watch after `timeoutSeconds` (the call
    /// returns) or it fails. Without `resourceVersion` the stream starts with an `added` for every node that
    /// matches. A version too old for the server is `expired` (410), as the answer or as an ERROR event: the
    /// caller starts again without one.
    func watchNodes(
        labelSelector: String?, resourceVersion: String?, timeoutSeconds: Int,
        onEvent: @escaping @Sendable (NodeWatchEvent) -> Void
    ) async throws(KubernetesError)
}
