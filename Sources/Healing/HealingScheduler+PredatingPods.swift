import Foundation
import Kubernetes
import Logging

extension HealingScheduler {
    /// Names shown in the Event (the log line has them all, up to `maxPodsLogged`).
    static let podsNamedInEvent = 5
    static let maxPodsLogged = 200

    /// A probe pod fixes only the sandboxes created after the node read its fixed CNI configuration: the workload
    /// pods that started on the node before its first verified sandbox keep the old OutBoundNAT exception list for
    /// their whole life. Names them when the node is healed: a Warning Event on the node (how many, the first
    /// names), a log line with all of them, and `cops_vigilante_snat_pods_predating_healing`.
    func reportPodsPredatingHealing(on node: Node, before firstSandbox: Date) async {
        guard configuration.reportPodsPredatingHealing else { return }
        let pods: [Pod]
        do throws(KubernetesError) {
            pods = try await api.listPods(onNode: node.name)
        } catch {
            if case .cancelled = error { return }
            logger.warning(
                "Could not list the pods of a healed node to find those that predate its healing",
                metadata: ["node": "\(node.name)", "error": "\(error)"])
            return
        }
        let predating = pods.filter { Self.keepsOldConfiguration($0, before: firstSandbox) }
            .sorted { ($0.metadata.creationTimestamp ?? "") < ($1.metadata.creationTimestamp ?? "") }
        predatingPods[node.name] = predating.count
        metrics.setPodsPredatingHealing(predatingPods.values.reduce(0, +))
        guard !predating.isEmpty else { return }
        if configuration.evictPodsPredatingHealing {
            evictions[node.name] = predating.map {
                PendingEviction(namespace: $0.metadata.namespace ?? "default", name: $0.name, nextAttempt: clock.now)
            }
        }
        let names = predating.map { "\($0.metadata.namespace ?? "")/\($0.name)" }
        let logged = names.prefix(Self.maxPodsLogged).joined(separator: ", ")
        logger.warning(
            "Pods that started before the node was healed keep the old SNAT configuration until they are restarted",
            metadata: [
                "node": "\(node.name)", "count": "\(names.count)",
                "pods": "\(logged)\(names.count > Self.maxPodsLogged ? ", …" : "")",
                "first_sandbox": "\(RFC3339.string(firstSandbox))",
            ])
        let shown = names.prefix(Self.podsNamedInEvent).joined(separator: ", ")
        let more = names.count > Self.podsNamedInEvent ? " and \(names.count - Self.podsNamedInEvent) more" : ""
        let action =
            configuration.evictPodsPredatingHealing
            ? "; evicting them (PodDisruptionBudgets honoured)" : " until restarted"
        announce(
            node, SnatNames.podsPredatingHealingReason,
            "\(names.count) pod(s) started before the node was healed and keep the old SNAT configuration\(action): "
                + "\(shown)\(more)", .warning)
    }

    /// A workload pod of the node created before `date`, still running: not a DaemonSet's pod (it would come back
    /// the same way), not a static pod's mirror, not on the host network (no pod sandbox network), not a probe pod.
    static func keepsOldConfiguration(_ pod: Pod, before date: Date) -> Bool {
        guard let created = pod.metadata.creationTimestamp.flatMap(RFC3339.date), created < date else { return false }
        if pod.metadata.deletionTimestamp != nil { return false }
        if let phase = pod.status?.phase, phase == "Succeeded" || phase == "Failed" { return false }
        if pod.metadata.ownerReferences?.contains(where: { $0.kind == "DaemonSet" }) == true { return false }
        if pod.metadata.annotations?["kubernetes.io/config.mirror"] != nil { return false }
        if pod.spec?.hostNetwork == true { return false }
        if pod.metadata.labels?[SnatNames.componentLabel] == SnatNames.componentValue { return false }
        return true
    }
}
