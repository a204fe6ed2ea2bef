/// A `core/v1` Pod, only as far as a probe pod is created and listed: metadata, the spec fields a probe pod
/// sets, and `status.phase`. Unknown fields of an answer are ignored when decoding.
public struct Pod: Codable, Sendable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec?, status: PodStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = "Pod"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var name: String { metadata.name ?? "" }
}

/// `status` of a Pod: only its phase.
public struct PodStatus: Codable, Sendable, Equatable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?

    public init(phase: String? = nil) {
        self.phase = phase
    }
}
