import Foundation
import Kubernetes
import Logging

extension HealingScheduler {
    /// Lists the probe pods (one namespace, one label selector) when a probe round or a window's end is due and the
    /// last list is older than half an interval, and applies what it shows to each node's current probe pod: its
    /// sandbox, its scheduling, or that it is gone. One list serves every node, so a single healing node costs at
    /// most one more call per round, and a thousand cost two lists per interval in all.
    func refreshProbeStatus() async {
        let now = clock.now
        guard configuration.verifySandboxes else { return }
        if let lastProbeList, now < lastProbeList + (configuration.interval / 2).timeInterval { return }
        let needed = states.contains { name, state in
            guard running[name] == nil, state.probe != nil,
                let action = state.dueAction(at: now, configuration: configuration)
            else { return false }
            return action == .probe || action == .finish || action == .storeWindowStartAndProbe
        }
        guard needed else { return }
        // Only a pod known before the list was sent can be missing from it: one whose create was answered while the
        // list was on its way (both wait for the rate limiter) may simply be newer than what the list shows.
        let knownBeforeList = states.compactMapValues { $0.probe?.uid }
        let pods: [Pod]
        do throws(KubernetesError) {
            pods = try await api.listPods(
                namespace: configuration.probePod.namespace, labelSelector: SnatNames.probePodSelector)
        } catch {
            logger.warning("Could not list the probe pods; their status is read later", metadata: ["error": "\(error)"])
            return
        }
        lastProbeList = now
        var byUID: [String: Pod] = [:]
        for pod in pods {
            if let uid = pod.metadata.uid { byUID[uid] = pod }
        }
        for name in states.keys where running[name] == nil {
            guard let uid = states[name]?.probe?.uid else { continue }
            if let pod = byUID[uid] {
                see(pod, of: name, at: now)
            } else if knownBeforeList[name] == uid {
                states[name]?.recordProbeGone(listedAt: now)
            }
        }
    }
}
