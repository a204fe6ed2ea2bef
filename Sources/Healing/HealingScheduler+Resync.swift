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
    ///
    /// The first resync is a quorum read. Later ones read the API server's watch cache, not older than the previous
    /// list (`resourceVersionMatch=NotOlderThan`): no etcd read. Such a list may lag behind, so it is a hint, as a
    /// webhook review is: a node it shows unchanged is taken as it is, and a node it would act on (a new node, a
    /// change of state, a tracked node missing from it) is read back by name, a quorum read, before anything
    /// follows from it. In steady state nothing changes and nothing is read back.
    public func resync() async {
        let started = clock.now
        let freshness: ListFreshness = lastListedVersion.map { .notOlderThan($0) } ?? .mostRecent
        var windowsNodes: [Node] = []
        do throws(KubernetesError) {
            lastListedVersion = try await api.forEachNodePage(
                labelSelector: WindowsNodeWatch.labelSelector, freshness: freshness, chunkSize: 500
            ) { nodes in
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
            // The next try is a quorum read: a version the API server's cache cannot serve (504
            // ResourceVersionTooLarge, e.g. from another API server instance that lags) is not asked again.
            lastListedVersion = nil
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
        let fromCache = freshness != .mostRecent
        let seen = Set(windowsNodes.map(\.name))
        var readBack: [String] = []
        for node in windowsNodes {
            if fromCache && wouldActOn(node) {
                readBack.append(node.name)
            } else {
                observe(node)
            }
        }
        for name in states.keys.sorted() where !seen.contains(name) {
            let labelledByHand = states[name]?.node.label(Node.osLabel).map {
                $0 != "windows" && $0.lowercased() == "windows"
            }
            if fromCache || labelledByHand == true {
                readBack.append(name)
            } else {
                forget(name, reason: "not in the node list")
            }
        }
        for name in readBack { await self.readBack(name) }
        await collectLeftoverPods()
        lastResync = started
        logger.info(
            "Node resync done",
            metadata: [
                "windows_nodes": "\(seen.count)", "tracked": "\(states.count)", "read_back": "\(readBack.count)",
                "from_cache": "\(fromCache)",
            ])
        if let onFirstResync {
            self.onFirstResync = nil
            onFirstResync()
        }
    }

    /// Whether observing `node` would start or change anything: an untracked Windows node, a tracked node to forget,
    /// or a tracked node whose state would change. What the API server serves from its watch cache (a resync's list,
    /// the leader's watch) may be older than what healing already did (a node healed since would seem to need a new
    /// window), so such nodes are read back first.
    func wouldActOn(_ node: Node) -> Bool {
        guard node.isWindows, !node.isOptedOut else { return states[node.name] != nil }
        guard let current = states[node.name] else { return true }
        var trial = current
        _ = trial.observe(node, now: clock.now, window: configuration.window)
        return !trial.decidesAlike(current)
    }

    /// Reads a node by name (a quorum read) and observes what the API server answers: gone, it is forgotten; an
    /// error keeps it as it is until the next resync. For nodes a resync cannot take from its list: shown changed by a
    /// list from the watch cache, missing from it, or labelled `Windows` by hand (outside the selector).
    private func readBack(_ name: String) async {
        do throws(KubernetesError) {
            observe(try await api.getNode(named: name))
        } catch .notFound {
            forget(name, reason: "not found")
        } catch {
            logger.warning(
                "Could not read a node back at the resync; keeping it as it is until the next resync",
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
