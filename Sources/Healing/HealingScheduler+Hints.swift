import Foundation
import Kubernetes
import Logging

extension HealingScheduler {
    /// The waits between reads of a node named in a callback while the API server has not stored the change yet:
    /// about 2 s in all, after which the read is taken as it is.
    static let hintReadDelays: [TimeInterval] = [0, 0.1, 0.5, 1.5]
    /// Callbacks checked at once; the rest wait their turn (steps keep their own `maxConcurrentSteps`).
    static let maxConcurrentReads = 4

    /// What checking a callback against the API server found.
    enum HintOutcome: Sendable {
        /// The node as stored: act on it, whatever it says.
        case node(Node)
        /// The node is gone (a confirmed deletion).
        case gone
        /// Nothing to act on: a created node that never appeared, or the read failed (the resync catches up).
        case nothing
    }

    /// Starts checking waiting callbacks, oldest first, one per node at a time.
    func startReads() {
        var index = 0
        while reading.count < Self.maxConcurrentReads, index < pendingHintOrder.count {
            let name = pendingHintOrder[index]
            guard reading[name] == nil, let hint = pendingHints.removeValue(forKey: name) else {
                index += 1
                continue
            }
            pendingHintOrder.remove(at: index)
            launched += 1
            reading[name] = Task { [weak self] in
                guard let self else { return }
                let outcome = await self.confirm(hint)
                await self.readFinished(name, outcome)
            }
        }
    }

    /// Reads the node a callback names until the change it announced is stored (bounded), and returns what was
    /// read: a validating webhook is called before the change is stored, so the first read can still show the
    /// previous version (UPDATE) or nothing (CREATE).
    nonisolated func confirm(_ hint: NodeHint) async -> HintOutcome {
        var last: Node?
        for delay in Self.hintReadDelays {
            if delay > 0 {
                do { try await clock.sleep(until: clock.now + delay) } catch { return .nothing }
            }
            do throws(KubernetesError) {
                let node = try await api.getNode(named: hint.name)
                last = node
                switch hint.change {
                case .updated(let previous?) where node.metadata.resourceVersion == previous:
                    continue  // not stored yet
                case .deleted:
                    continue  // still there: not deleted yet, or the deletion was denied
                case .created, .updated:
                    return .node(node)
                }
            } catch {
                if case .notFound = error {
                    if hint.change == .created { continue }  // not stored yet
                    return .gone
                }
                logger.notice(
                    "Could not read a node a callback named; the next resync catches up",
                    metadata: ["node": "\(hint.name)", "error": "\(error)"])
                return .nothing
            }
        }
        return last.map { .node($0) } ?? .nothing
    }

    private func readFinished(_ name: String, _ outcome: HintOutcome) {
        reading[name] = nil
        switch outcome {
        case .node(let node): observe(node)
        case .gone: forget(name, reason: "deleted")
        case .nothing: break
        }
        startReads()
        wake.signal()
    }
}
