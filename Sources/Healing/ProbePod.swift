public import Kubernetes

/// The probe pod of one node: the pause image pinned to that node, so that creating it makes the node set up a
/// new pod sandbox (and with it load the fixed CNI configuration). Shape kept from v1.2.1 (name, namespace,
/// image, container, node selector, grace 0, tolerations), plus labels for leftover collection, no service
/// account token, and tiny requests.
public struct ProbePod: Sendable {
    public var image: String
    public var namespace: String
    public var tolerations: [Toleration]

    /// Pod names are DNS names; 63 characters keep them usable as a host name too.
    static let maximumNameLength = 63

    public init(image: String, namespace: String, tolerations: [Toleration]) {
        self.image = image
        self.namespace = namespace
        self.tolerations = tolerations
    }

    /// `cops-vigilante-snat-healer-<node>`; a node name too long for that keeps its start and gets a stable
    /// hash of the whole name, so two long names never share a pod.
    public static func name(for nodeName: String) -> String {
        let full = SnatNames.probePodPrefix + nodeName
        guard full.count > maximumNameLength else { return full }
        let hash = String(StableHash.fnv1a64(nodeName), radix: 16)
        let padded = String(repeating: "0", count: 16 - hash.count) + hash
        let keep = maximumNameLength - SnatNames.probePodPrefix.count - 11
        var start = String(nodeName.prefix(keep))
        while start.last == "-" || start.last == "." { start.removeLast() }
        return SnatNames.probePodPrefix + start + "-" + padded.prefix(10)
    }

    /// The pod for `node`.
    public func pod(for node: Node) -> Pod {
        // The node's own hostname label, as the scheduler matches it; the node name only when the label is absent.
        let hostname = node.label(Node.hostnameLabel) ?? node.name
        return Pod(
            metadata: ObjectMeta(
                name: Self.name(for: node.name), namespace: namespace,
                labels: [
                    SnatNames.managedByLabel: SnatNames.managedByValue,
                    SnatNames.componentLabel: SnatNames.componentValue,
                ],
                annotations: [SnatNames.probeNodeAnnotation: node.name]),
            spec: PodSpec(
                nodeSelector: [Node.osLabel: "windows", Node.hostnameLabel: hostname],
                tolerations: tolerations.isEmpty ? nil : tolerations,
                containers: [
                    Container(
                        name: SnatNames.probeContainerName, image: image,
                        resources: ResourceRequirements(requests: ["cpu": "10m", "memory": "16Mi"]))
                ],
                terminationGracePeriodSeconds: 0,
                automountServiceAccountToken: false))
    }
}

/// FNV-1a, 64 bits: a hash that is the same in every process and version (Swift's `Hasher` is seeded per process).
enum StableHash {
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
