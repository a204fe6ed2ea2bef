/// `spec` of a Pod: what a probe pod needs to land on one node and stop at once.
public struct PodSpec: Codable, Sendable, Equatable {
    /// Set by the scheduler once the pod is bound (or by the creator to bypass it).
    public var nodeName: String?
    public var nodeSelector: [String: String]?
    public var tolerations: [Toleration]?
    public var containers: [Container]
    /// The probe pod uses 0: it holds nothing that needs a graceful stop.
    public var terminationGracePeriodSeconds: Int64?
    public var automountServiceAccountToken: Bool?
    /// A pod in the node's network namespace has no pod sandbox network of its own: SNAT healing does not concern it.
    public var hostNetwork: Bool?

    public init(
        nodeName: String? = nil, nodeSelector: [String: String]? = nil, tolerations: [Toleration]? = nil,
        containers: [Container], terminationGracePeriodSeconds: Int64? = nil,
        automountServiceAccountToken: Bool? = nil
    ) {
        self.nodeName = nodeName
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.containers = containers
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.automountServiceAccountToken = automountServiceAccountToken
    }
}

/// One container of a Pod: name, image and resource requests.
public struct Container: Codable, Sendable, Equatable {
    public var name: String
    public var image: String?
    public var resources: ResourceRequirements?

    public init(name: String, image: String?, resources: ResourceRequirements? = nil) {
        self.name = name
        self.image = image
        self.resources = resources
    }
}

/// `resources` of a container; quantities as the API writes them (`"10m"`, `"16Mi"`).
public struct ResourceRequirements: Codable, Sendable, Equatable {
    public var requests: [String: String]?
    public var limits: [String: String]?

    public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}
