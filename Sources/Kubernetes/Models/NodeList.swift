/// One page of a node list: the nodes and the `continue` token of the next page (`nil` on the last page).
public struct NodeList: Sendable, Equatable {
    public var items: [Node]
    /// `metadata.continue`; pass it to the next `listNodes` call. `nil` or empty: this was the last page.
    public var continueToken: String?
    /// `metadata.resourceVersion` of the list (the same on every page of one listing).
    public var resourceVersion: String?

    public init(items: [Node], continueToken: String? = nil, resourceVersion: String? = nil) {
        self.items = items
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }

    /// Whether another page follows.
    public var hasMore: Bool { !(continueToken ?? "").isEmpty }
}
