import Foundation
import Kubernetes
import Logging
import Prometheus

extension HealingScheduler {
    /// Lists the Windows nodes (label selector `kubernetes.io/os=windows`, in pages: the API server sends no Linux
    /// node), brings the tracked states in line, and deletes leftover probe pods: those whose node is gone, not
    /// Windows, or healed. Catches whatever webhook callbacks were missed (the webhook fails open, so the API server
    /// skips it while it is down). A tracked node labelled `Windows` in another case (by hand: the kubelet writes
    /// lowercase) is outside the selector; it is read back by name instead of being forgotten.
    public func resync() async {
        let started = clock.now
        var windowsNodes: [Node] = []
        do throws(KubernetesError) {
            try await api.forEachNodePage(labelSelector: WindowsNodeWatch.labelSelector, chunkSize: 500) { nodes in
                windowsNodes.append(contentsOf: nodes.filter(\.isWindows))
            }
        } catch {
            // Stopping (SIGTERM) cancels the listing: that is no failure, and nothing is retried.
            if case .cancelled = error {
                logger.info("Node resync stopped: shutting down")
                return
            }
            resyncFailures += 1
            metrics.resyncFailures.increment()
            // Sooner than the resync interval (the first resync gates readiness), but backing off: an API server
            // that keeps failing, or keeps a listing from ending, is not hammered.
            let wait = min(10 * pow(2, Double(min(resyncFailures - 1, 16))), configuration.resyncInterval.timeInterval)
            logger.error(
                "Node resync failed; trying again later",
                metadata: [
                    "error": "\(error)", "failures_in_a_row": "\(resyncFailures)", "retry_in_seconds": "\(Int(wait))",
                ])
            lastResync = started - configuration.resyncInterval.timeInterval + wait
            return
        }
        resyncFailures = 0
        let seen = Set(windowsNodes.map(\.name))
        for node in windowsNodes { observe(node) }
        for name in Array(states.keys) where !seen.contains(name) {
            guard let label = states[name]?.node.label(Node.osLabel), label != "windows",
                label.lowercased() == "windows"
            else {
                forget(name, reason: "not in the node list")
                continue
            }
            await readBackOutsideTheSelector(name)
        }
        await collectLeftoverPods()
        lastResync = started
        logger.info("Node resync done", metadata: ["windows_nodes": "\(seen.count)", "tracked": "\(states.count)"])
        if let onFirstResync {
            self.onFirstResync = nil
            onFirstResync()
        }
    }

    /// A tracked node whose `kubernetes.io/os` label is `Windows` in another case: the resync's selector cannot list
    /// it, so it is read by name (such nodes are rare: a label written by hand). Gone: forgotten; an error: kept
    /// until the next resync.
    private func readBackOutsideTheSelector(_ name: String) async {
        do throws(KubernetesError) {
            observe(try await api.getNode(named: name))
        } catch .notFound {
            forget(name, reason: "not found")
        } catch {
            logger.warning(
                "Could not read a node labelled outside the resync's selector; keeping it until the next resync",
                metadata: ["node": "\(name)", "error": "\(error)"])
        }
    }

    /// Deletes probe pods whose node is not a tracked Windows node any more, or is healed.
    private func collectLeftoverPods() async {
        let pods: [Pod]
        do throws(KubernetesError) {
            pods = try await api.listPods(
                namespace: configuration.probePod.namespace, labelSelector: SnatNames.probePodSelector)
        } catch {
            logger.warning("Could not list probe pods for leftover collection", metadata: ["error": "\(error)"])
            return
        }
        for pod in pods {
            let nodeName =
                pod.metadata.annotations?[SnatNames.probeNodeAnnotation]
                ?? String(pod.name.dropFirst(SnatNames.probePodPrefix.count))
            guard running[nodeName] == nil else { continue }
            let phase = states[nodeName]?.phase
            guard phase == nil || phase == .healed else { continue }
            do throws(KubernetesError) {
                try await api.deletePod(named: pod.name, namespace: configuration.probePod.namespace)
                logger.info(
                    "Deleted a leftover probe pod",
                    metadata: [
                        "pod": "\(pod.name)", "node": "\(nodeName)",
                        "reason": "\(phase == nil ? "node gone" : "node healed")",
                    ])
            } catch {
                if case .notFound = error { continue }
                logger.warning(
                    "Could not delete a leftover probe pod", metadata: ["pod": "\(pod.name)", "error": "\(error)"])
            }
        }
    }
}
