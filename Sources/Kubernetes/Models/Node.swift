/// A `core/v1` Node, decoded only as far as healing needs: name, labels, annotations, taints and conditions.
/// Everything else a Node carries (images, managedFields, addresses, …) is skipped when decoding.
public struct Node: Codable, Sendable, Equatable {
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    public struct Spec: Codable, Sendable, Equatable {
        public var taints: [Taint]?

        public init(taints: [Taint]? = nil) {
            self.taints = taints
        }
    }

    public struct Status: Codable, Sendable, Equatable {
        public var conditions: [Condition]?

        public init(conditions: [Condition]? = nil) {
            self.conditions = conditions
        }
    }

    public struct Condition: Codable, Sendable, Equatable {
        public var type: String
        /// "True", "False" or "Unknown".
        public var status: String

        public init(type: String, status: String) {
            self.type = type
            self.status = status
        }
    }

    public init(metadata: ObjectMeta, spec: Spec? = nil, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

extension Node {
    public static let osLabel = "kubernetes.io/os"
    public static let hostnameLabel = "kubernetes.io/hostname"

    public var name: String { metadata.name ?? "" }

    /// The `kubernetes.io/os` label is `windows`, in any case (the Go original compared case-insensitively).
    public var isWindows: Bool { metadata.labels?[Self.osLabel]?.lowercased() == "windows" }

    /// The `Ready` condition is `True`.
    public var isReady: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    public var taints: [Taint] { spec?.taints ?? [] }

    public func annotation(_ key: String) -> String? { metadata.annotations?[key] }
    public func label(_ key: String) -> String? { metadata.labels?[key] }
}
