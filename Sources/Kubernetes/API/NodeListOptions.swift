/// What one `listNodes` call asks for: a label selector, which state to read, a page size and where to continue.
public struct NodeListOptions: Sendable, Equatable {
    /// A Kubernetes label selector such as `kubernetes.io/os=windows`; `nil` lists every node.
    public var labelSelector: String?
    /// `resourceVersion`: `nil` reads the most recent state (a quorum read); see `ListFreshness`.
    public var resourceVersion: String?
    /// `resourceVersionMatch`, with `resourceVersion` only.
    public var resourceVersionMatch: ResourceVersionMatch?
    /// Nodes per page; `nil` asks for all at once (avoid on large clusters).
    public var limit: Int?
    /// The `continueToken` of the previous page.
    public var continueToken: String?

    public init(
        labelSelector: String? = nil, resourceVersion: String? = nil,
        resourceVersionMatch: ResourceVersionMatch? = nil, limit: Int? = nil, continueToken: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continueToken = continueToken
    }
}

/// The API server's `resourceVersionMatch` values.
public enum ResourceVersionMatch: String, Sendable, Equatable {
    case notOlderThan = "NotOlderThan"
    case exact = "Exact"
}

/// Which state a listing reads, and so what it costs the API server (Kubernetes API concepts, "Semantics for get
/// and list").
public enum ListFreshness: Sendable, Equatable {
    /// The most recent state (no `resourceVersion`): a quorum read, checked against etcd. For decisions.
    case mostRecent
    /// `resourceVersionMatch=NotOlderThan` with a `resourceVersion` already seen: from the API server's watch cache,
    /// no etcd read, never older than that version, in pages. A version the cache has not reached yet is a 504
    /// (`ResourceVersionTooLarge`) after a few seconds.
    case notOlderThan(String)
    /// `resourceVersion=0`: whatever the watch cache holds, possibly older than what was seen before; the API server
    /// ignores `limit` and answers one whole list.
    case any

    /// The first page's `resourceVersion` and `resourceVersionMatch`.
    var parameters: (version: String?, match: ResourceVersionMatch?) {
        switch self {
        case .mostRecent: (nil, nil)
        case .notOlderThan(let version): (version, .notOlderThan)
        case .any: ("0", nil)
        }
    }
}
