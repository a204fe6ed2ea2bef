public import Kubernetes

extension HealingScheduler {
    /// The Node labels and annotations healing reads: whether the node is Windows, its hostname for the probe
    /// pod's node selector, and the two healing annotations. The webhook keeps only these of a reviewed Node.
    public static let nodeMetadataKeys = NodeMetadataKeys(
        labels: [Node.osLabel, Node.hostnameLabel],
        annotations: [SnatNames.healedAnnotation, SnatNames.healingStartedAtAnnotation])
}
