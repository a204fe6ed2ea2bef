/// A `coordination.k8s.io/v1` Lease, the object leader election is coordinated through: who holds it, for how
/// long, and since when. Only the spec fields of client-go's leader election record are modelled; an update
/// writes the whole object back, as client-go does.
public struct Lease: Codable, Sendable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: LeaseSpec

    public init(metadata: ObjectMeta, spec: LeaseSpec) {
        self.apiVersion = "coordination.k8s.io/v1"
        self.kind = "Lease"
        self.metadata = metadata
        self.spec = spec
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        // A Lease created without a spec (`kubectl create` of a bare object) has none at all.
        spec = try container.decodeIfPresent(LeaseSpec.self, forKey: .spec) ?? LeaseSpec()
    }
}

/// `spec` of a Lease.
public struct LeaseSpec: Codable, Sendable, Equatable {
    /// Who holds the Lease; empty or absent when nobody does (released).
    public var holderIdentity: String?
    /// How long candidates wait, after they last saw the Lease change, before they may take it over.
    public var leaseDurationSeconds: Int?
    /// When the current holder acquired it.
    public var acquireTime: MicroTime?
    /// When the current holder last renewed it.
    public var renewTime: MicroTime?
    /// How many times the Lease changed holders.
    public var leaseTransitions: Int?

    public init(
        holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: MicroTime? = nil,
        renewTime: MicroTime? = nil, leaseTransitions: Int? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}
