import Foundation
import Kubernetes
import Logging

/// A pod to evict, and when to ask again after a refusal.
struct PendingEviction: Sendable {
    var namespace: String
    var name: String
    var failures = 0
    var nextAttempt: Date
}

extension HealingScheduler {
    /// The longest wait between two evictions of one pod that its PodDisruptionBudget refused.
    static let maxEvictionBackoff: TimeInterval = 600

    /// Evicts the pods of `node` whose turn has come, through the Eviction API: the API server deletes a pod only
    /// when its PodDisruptionBudget allows. A refusal (429), or any failure, is asked again after a wait that starts
    /// at one interval and doubles up to 10 minutes; a pod already gone is done. A pod is never deleted directly.
    func evictDuePods(on node: String) async {
        guard let pending = evictions[node] else { return }
        let now = clock.now
        var remaining: [PendingEviction] = []
        for var eviction in pending {
            guard eviction.nextAttempt <= now, !Task.isCancelled else {
                remaining.append(eviction)
                continue
            }
            let pod = "\(eviction.namespace)/\(eviction.name)"
            do throws(KubernetesError) {
                try await api.evictPod(named: eviction.name, namespace: eviction.namespace)
                logger.info(
                    "Evicted a pod that predates its node's healing", metadata: ["node": "\(node)", "pod": "\(pod)"])
                predatingPods[node] = max(0, (predatingPods[node] ?? 1) - 1)
            } catch .notFound {
                predatingPods[node] = max(0, (predatingPods[node] ?? 1) - 1)
            } catch .cancelled {
                remaining.append(eviction)
            } catch {
                eviction.failures += 1
                let wait = min(
                    configuration.interval.timeInterval * pow(2, Double(min(eviction.failures - 1, 16))),
                    Self.maxEvictionBackoff)
                eviction.nextAttempt = clock.now + wait
                var metadata: Logger.Metadata = [
                    "node": "\(node)", "pod": "\(pod)", "retry_in_seconds": "\(Int(wait))",
                    "attempts": "\(eviction.failures)",
                ]
                if case .tooManyRequests = error {
                    logger.info(
                        "Eviction refused by the pod's disruption budget; asking again later", metadata: metadata)
                } else {
                    metadata["error"] = "\(error)"
                    logger.warning("Eviction failed; asking again later", metadata: metadata)
                }
                remaining.append(eviction)
            }
        }
        // A node forgotten meanwhile (deleted, opted out) keeps no evictions.
        if evictions[node] != nil { evictions[node] = remaining.isEmpty ? nil : remaining }
        metrics.setPodsPredatingHealing(predatingPods.values.reduce(0, +))
    }
}
