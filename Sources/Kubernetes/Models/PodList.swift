/// One page of a `core/v1` PodList: the pods and the `continue` token of the next page.
public struct PodList: Decodable, Sendable, Equatable {
    public var items: [Pod]
    /// `metadata.continue`; `nil` or empty on the last page.
    public var continueToken: String?

    public init(items: [Pod], continueToken: String? = nil) {
        self.items = items
        self.continueToken = continueToken
    }

    private enum CodingKeys: String, CodingKey { case items, metadata }
    private enum MetadataKeys: String, CodingKey { case `continue` }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A list with no pods may carry `"items": null`.
        items = try container.decodeIfPresent([Pod].self, forKey: .items) ?? []
        if container.contains(.metadata), try !container.decodeNil(forKey: .metadata) {
            let metadata = try container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
            continueToken = try metadata.decodeIfPresent(String.self, forKey: .continue)
        }
    }
}
