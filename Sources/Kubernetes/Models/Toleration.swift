/// A pod toleration, as Kubernetes writes it (`core/v1` Toleration).
///
/// The probe pod carries the tolerations of `tasks.snat.healing_pod_tolerations` unchanged, so that it can be
/// scheduled on tainted Windows node pools.
public struct Toleration: Codable, Sendable, Equatable {
    public enum Operator: String, Codable, Sendable, CaseIterable {
        case exists = "Exists"
        case equal = "Equal"
    }

    public enum Effect: String, Codable, Sendable, CaseIterable {
        case noSchedule = "NoSchedule"
        case preferNoSchedule = "PreferNoSchedule"
        case noExecute = "NoExecute"
    }

    public var key: String?
    /// Kubernetes' default is `Equal`.
    public var `operator`: Operator?
    public var value: String?
    /// `nil` tolerates every effect.
    public var effect: Effect?
    /// Only meaningful (and only allowed) with `NoExecute`.
    public var tolerationSeconds: Int64?

    public init(
        key: String? = nil,
        operator: Operator? = nil,
        value: String? = nil,
        effect: Effect? = nil,
        tolerationSeconds: Int64? = nil
    ) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}
