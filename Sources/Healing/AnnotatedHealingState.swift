public import Kubernetes

extension Node {
    /// Labelled `cops-vigilante/skip=true`: the operator opted the node out of healing.
    public var isOptedOut: Bool { label(SnatNames.skipLabel) == "true" }

    /// The node's healing state as its annotations tell it, for `vigilante nodes`: what any reader of the node can
    /// know without vigilante's memory. `nil` for a node that is not Windows.
    public var annotatedHealingState: String? {
        guard isWindows else { return nil }
        if isOptedOut { return "skipped (\(SnatNames.skipLabel)=true)" }
        if annotation(SnatNames.healedAnnotation) == "true" { return HealingPhase.healed.rawValue }
        guard isReady else { return HealingPhase.waitingForReady.rawValue }
        if let start = annotation(SnatNames.healingStartedAtAnnotation) {
            return "\(HealingPhase.healing.rawValue) since \(start)"
        }
        if let retry = annotation(SnatNames.retryAtAnnotation) {
            return "\(HealingPhase.unverified.rawValue), next window at \(retry)"
        }
        return "not healed yet"
    }
}
