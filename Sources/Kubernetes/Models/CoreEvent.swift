/// A `core/v1` Event as listed: what the scheduler or a kubelet reported about an object, for example
/// `FailedCreatePodSandBox` with the CNI's error. Read only: this product writes its own Events through
/// `events.k8s.io/v1` (`Event`).
public struct CoreEvent: Codable, Sendable, Equatable {
    public var reason: String?
    public var message: String?
    /// `Normal` or `Warning`.
    public var type: String?
    /// How often it happened (a kubelet retrying a sandbox counts up one Event).
    public var count: Int?
    public var involvedObject: ObjectReference?

    public init(
        reason: String? = nil, message: String? = nil, type: String? = nil, count: Int? = nil,
        involvedObject: ObjectReference? = nil
    ) {
        self.reason = reason
        self.message = message
        self.type = type
        self.count = count
        self.involvedObject = involvedObject
    }
}

/// One page of a `core/v1` EventList.
public struct CoreEventList: Decodable, Sendable, Equatable {
    public var items: [CoreEvent]

    private enum CodingKeys: String, CodingKey { case items }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decodeIfPresent([CoreEvent].self, forKey: .items) ?? []
    }
}
