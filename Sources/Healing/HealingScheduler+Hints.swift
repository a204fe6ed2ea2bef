import Foundation
import Kubernetes
import Logging

extension HealingScheduler {
    /// The waits between reads of a node named in a callback while the API server has not stored the change yet:
    /// about 2 s in all, after which the read is taken as it is.
    static let hintReadDelays: [TimeInterval] = [0, 0.1, 0.5, 1.5]
    /// Checks of callbacks in flight at once; the rest wait their turn (steps keep their own `maxConcurrentSteps`).
    static let maxConcurrentReads = 4
    /// Callbacks that wait while the checks are busy are read together, by one node list whose label selector
    /// names their nodes (`kubernetes.io/hostname in (…)`): a node pool scaling out by hundreds costs a list per
    /// batch, not a GET per node ahead of every first probe pod.
    static let maxNodesPerRead = 50

    /// What checking a callback against the API server found.
    enum HintOutcome: Sendable {
        /// The node as stored: act on it, whatever it says.
        case node(Node)
        /// The node is gone (a confirmed deletion).
        case gone
        /// Nothing to act on: a created node that never appeared, or the read failed (the resync catches up).
        case nothing
    }

    /// What one read said about one node.
    enum NodeRead: Sendable {
        case found(Node)
        case notFound
        /// Not in a list by label selector: it may not exist, or its hostname label is not its name.
        case notListed
        case failed
    }

    /// Starts checking waiting callbacks, oldest first, one check per node at a time, up to `maxNodesPerRead`
    /// callbacks per check.
    func startReads() {
        while readTasks.count < Self.maxConcurrentReads {
            var batch: [NodeHint] = []
            var index = 0
            while batch.count < Self.maxNodesPerRead, index < pendingHintOrder.count {
                let name = pendingHintOrder[index]
                guard !reading.contains(name), let hint = pendingHints.removeValue(forKey: name) else {
                    index += 1
                    continue
                }
                pendingHintOrder.remove(at: index)
                batch.append(hint)
            }
            guard !batch.isEmpty else { return }
            launched += 1
            nextReadTask += 1
            let id = nextReadTask
            reading.formUnion(batch.map(\.name))
            readTasks[id] = Task { [weak self] in
                guard let self else { return }
                let outcomes = await self.confirm(batch)
                await self.readFinished(id, batch, outcomes)
            }
        }
    }

    /// Reads the nodes the callbacks name until the changes they announced are stored (bounded), and returns what
    /// was read: a validating webhook is called before the change is stored, so the first read can still show the
    /// previous version (UPDATE), the node (DELETE) or nothing (CREATE).
    nonisolated func confirm(_ hints: [NodeHint]) async -> [String: HintOutcome] {
        var outcomes: [String: HintOutcome] = [:]
        var waiting = hints
        var last: [String: Node] = [:]
        for (attempt, delay) in Self.hintReadDelays.enumerated() where !waiting.isEmpty {
            if delay > 0 {
                do { try await clock.sleep(until: clock.now + delay) } catch { break }
            }
            let isLast = attempt == Self.hintReadDelays.count - 1
            // A created node that is not listed yet is looked for again by the next list; any other node missing
            // from a list is read by name, which tells a deleted node from a hostname label that is not the name.
            let reads = await read(waiting.map(\.name)) { name in
                isLast || waiting.first { $0.name == name }?.change != .created
            }
            var stillWaiting: [NodeHint] = []
            for hint in waiting {
                switch reads[hint.name] ?? .failed {
                case .found(let node):
                    last[hint.name] = node
                    switch hint.change {
                    case .updated(let previous?) where node.metadata.resourceVersion == previous:
                        stillWaiting.append(hint)  // not stored yet
                    case .deleted:
                        stillWaiting.append(hint)  // still there: not deleted yet, or the deletion was denied
                    case .created, .updated:
                        outcomes[hint.name] = .node(node)
                    }
                case .notFound, .notListed:
                    if hint.change == .created {
                        stillWaiting.append(hint)  // not stored yet
                    } else {
                        outcomes[hint.name] = .gone
                    }
                case .failed:
                    outcomes[hint.name] = .nothing
                }
            }
            waiting = stillWaiting
        }
        for hint in waiting { outcomes[hint.name] = last[hint.name].map { .node($0) } ?? .nothing }
        return outcomes
    }

    /// One read of these nodes: a GET for one, a list by label selector for several (names that cannot be label
    /// values are read by GET); nodes missing from the list are read by GET when `getIfMissing` says so.
    nonisolated func read(_ names: [String], getIfMissing: (String) -> Bool) async -> [String: NodeRead] {
        var reads: [String: NodeRead] = [:]
        var byName = names.filter(Self.isLabelValue)
        if byName.count < 2 { byName = [] }
        if !byName.isEmpty {
            let selector = "\(Node.hostnameLabel) in (\(byName.joined(separator: ",")))"
            do throws(KubernetesError) {
                // Hostname labels are unique per node, so the page holds every match; the limit only bounds it.
                let list = try await api.listNodes(NodeListOptions(labelSelector: selector, limit: byName.count * 2))
                let wanted = Set(byName)
                for node in list.items where wanted.contains(node.name) { reads[node.name] = .found(node) }
            } catch {
                logger.notice(
                    "Could not list the nodes callbacks named; the next resync catches up",
                    metadata: ["nodes": "\(byName.count)", "error": "\(error)"])
                for name in byName { reads[name] = .failed }
            }
        }
        for name in names where reads[name] == nil {
            if byName.contains(name) && !getIfMissing(name) {
                reads[name] = .notListed
                continue
            }
            do throws(KubernetesError) {
                reads[name] = .found(try await api.getNode(named: name))
            } catch {
                if case .notFound = error {
                    reads[name] = .notFound
                } else {
                    logger.notice(
                        "Could not read a node a callback named; the next resync catches up",
                        metadata: ["node": "\(name)", "error": "\(error)"])
                    reads[name] = .failed
                }
            }
        }
        return reads
    }

    /// Whether a node name can stand in a label selector as a value (63 characters at most, alphanumeric at both
    /// ends, `-`, `_` and `.` inside); node names are DNS subdomains, which can be longer.
    static func isLabelValue(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 63 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard isAlphanumeric(bytes[0]), isAlphanumeric(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    private func readFinished(_ id: Int, _ hints: [NodeHint], _ outcomes: [String: HintOutcome]) {
        readTasks[id] = nil
        for hint in hints {
            reading.remove(hint.name)
            switch outcomes[hint.name] ?? .nothing {
            case .node(let node): observe(node)
            case .gone: forget(hint.name, reason: "deleted")
            case .nothing: break
            }
        }
        startReads()
        wake.signal()
    }
}
