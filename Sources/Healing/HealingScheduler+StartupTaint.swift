import Kubernetes
import Logging

extension HealingScheduler {
    /// How often a taint removal is tried again when another writer changed `spec.taints` in between.
    static let taintRemovalAttempts = 3

    /// Removes the startup taint from a node marked healed, and nothing else: the node is read, the taint found in
    /// its list, and removed by a JSON patch that first tests that entry (another controller adding or removing a
    /// taint in between makes the test fail, and the node is read again). A node not marked healed keeps its taint,
    /// so workloads never land on an unverified node. Failures are logged; the next resync tries again.
    func liftStartupTaint(of name: String) async {
        guard let taint = configuration.startupTaint else { return }
        for attempt in 1...Self.taintRemovalAttempts {
            do throws(KubernetesError) {
                let node = try await api.getNode(named: name)
                guard node.annotation(SnatNames.healedAnnotation) == "true",
                    let index = node.taints.firstIndex(where: taint.matches)
                else { return }
                let stored = try await api.removeTaint(node.taints[index], at: index, fromNode: name)
                logger.info("Removed the startup taint", metadata: ["node": "\(name)", "taint": "\(taint)"])
                announce(
                    stored, SnatNames.startupTaintRemovedReason,
                    "Node healed; removed the startup taint \(taint) so that workloads can be scheduled", .normal)
                return
            } catch .invalid, .conflict {
                // The taint list changed since it was read: read it again.
                logger.debug(
                    "The node's taints changed while removing the startup taint; reading them again",
                    metadata: ["node": "\(name)", "attempt": "\(attempt)"])
            } catch .notFound {
                return
            } catch .cancelled {
                return
            } catch {
                logger.warning(
                    "Could not remove the startup taint; the next resync tries again",
                    metadata: ["node": "\(name)", "taint": "\(taint)", "error": "\(error)"])
                return
            }
        }
        logger.warning(
            "Could not remove the startup taint: the node's taints kept changing; the next resync tries again",
            metadata: ["node": "\(name)", "taint": "\(taint)"])
    }
}
