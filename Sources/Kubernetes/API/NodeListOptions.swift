/// What one `listNodes` call asks for: a label selector, a page size and where to continue.
public struct NodeListOptions: Sendable, Equatable {
    /// A Kubernetes label selector such as `kubernetes.io/os=windows`; `nil` lists every node.
    public var labelSelector: String?
    /// Nodes per page; `nil` asks for all at once (avoid on large clusters).
    public var limit: Int?
    /// The `continueToken` of the previous page.
    public var continueToken: String?

    public init(labelSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil) {
        self.labelSelector = labelSelector
        self.limit = limit
        self.continueToken = continueToken
    }
}
