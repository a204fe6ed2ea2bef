/// Names existing installs depend on: cops-vigilante v1.2.1 (the Go original) used them, and dashboards,
/// alerts and runbooks refer to them. Change none of them.
public enum SnatNames {
    /// `"true"` marks a node healed; `"false"` or absent means it still needs healing.
    public static let healedAnnotation = "cops-vigilante-snat-node-healed"
    /// When the current healing window started (RFC 3339, UTC); lets a restart resume the window.
    public static let healingStartedAtAnnotation = "cops-vigilante-snat-healing-started-at"
    /// Probe pods are named this plus the node name (shortened with a hash when too long).
    public static let probePodPrefix = "cops-vigilante-snat-healer-"
    public static let probeContainerName = "pause-container"
    /// v1.2.1 counters: one probe round per node per attempt; one sighting per not-ready Windows node per
    /// evaluation.
    public static let healingAttemptsMetric = "cops_vigilante_snat_node_healing_attempts"
    public static let notReadyNodesMetric = "cops_vigilante_snat_number_of_not_ready_nodes_found"

    // New in this version.
    /// After a window that ended without enough sandbox evidence: when the next window starts (RFC 3339, UTC);
    /// removed when it does. Lets a restart keep the wait.
    public static let retryAtAnnotation = "cops-vigilante-snat-retry-at"
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "cops-vigilante"
    public static let componentLabel = "app.kubernetes.io/component"
    public static let componentValue = "snat-healer"
    /// The node a probe pod belongs to (a label value may be too short for a node name).
    public static let probeNodeAnnotation = "cops-vigilante-snat-node"
    /// `cops-vigilante/skip: "true"` on a node: never healed (an operator's opt-out); removing it brings the node
    /// back at the next callback or resync.
    public static let skipLabel = "cops-vigilante/skip"
    /// Selects every probe pod, for leftover collection.
    public static var probePodSelector: String {
        "\(managedByLabel)=\(managedByValue),\(componentLabel)=\(componentValue)"
    }

    /// Reasons of the Kubernetes Events on the Node.
    public static let startedReason = "SnatHealingStarted"
    public static let healedReason = "SnatNodeHealed"
    public static let failedReason = "SnatHealingFailed"
    public static let unverifiedReason = "SnatHealingUnverified"
    public static let startupTaintRemovedReason = "SnatStartupTaintRemoved"
    public static let podsPredatingHealingReason = "SnatPodsPredatingHealing"
}
