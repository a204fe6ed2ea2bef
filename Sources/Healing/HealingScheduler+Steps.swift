import Foundation
import Kubernetes
import Logging
import Prometheus

extension HealingScheduler {
    /// Performs one step for `name`. The API calls happen outside the actor's lock (suspension points); the
    /// outcome is applied only if the node is still in the same window (`generation`).
    func perform(_ action: HealingAction, for name: String, generation: Int, at startedAt: Date) async {
        guard let state = states[name] else { return }
        let node = state.node
        switch action {
        case .firstProbe:
            await probe(node, generation: generation, startedAt: startedAt, isFirst: true)
        case .storeWindowStart:
            await storeWindowStart(node, generation: generation, startedAt: startedAt)
        case .storeWindowStartAndProbe:
            if await storeWindowStart(node, generation: generation, startedAt: startedAt) {
                await probe(node, generation: generation, startedAt: startedAt)
            }
        case .probe:
            await probe(node, generation: generation, startedAt: startedAt)
        case .finish:
            await finish(node, generation: generation, startedAt: startedAt)
        case .clearStaleWindowStart:
            do throws(KubernetesError) {
                _ = try await api.mergePatchAnnotations(node: name, [SnatNames.healingStartedAtAnnotation: nil])
                states[name]?.recordStaleWindowStartCleared()
            } catch {
                if case .notFound = error {
                    states[name]?.recordStaleWindowStartCleared()
                } else {
                    states[name]?.recordStaleWindowStartNotCleared(
                        retryAt: startedAt + configuration.interval.timeInterval)
                    logger.warning(
                        "Could not remove the stale window start; trying again next interval",
                        metadata: ["node": "\(name)", "error": "\(error)"])
                }
            }
        }
    }

    /// A probe round: delete the probe pod (a missing one is fine), create it again (409 means the old one is
    /// still terminating: expected, the next round creates it). A window's first round only creates (there is
    /// normally no pod yet); a pod left from before answers 409 and is deleted, for the next round to replace.
    private func probe(_ node: Node, generation: Int, startedAt: Date, isFirst: Bool = false) async {
        metrics.recordAttempt()
        let pod = configuration.probePod.pod(for: node)
        let namespace = configuration.probePod.namespace
        var failure: KubernetesError?
        if !isFirst {
            failure = await deleteIgnoringNotFound(pod.name, namespace: namespace)
        }
        if failure == nil {
            do throws(KubernetesError) {
                _ = try await api.createPod(pod, namespace: namespace)
                logger.debug("Probe pod created", metadata: ["node": "\(node.name)", "pod": "\(pod.name)"])
            } catch {
                if case .alreadyExists = error {
                    logger.debug(
                        "Probe pod still there or terminating; the next round creates it",
                        metadata: ["node": "\(node.name)"])
                    if isFirst { failure = await deleteIgnoringNotFound(pod.name, namespace: namespace) }
                } else {
                    failure = error
                }
            }
        }
        guard isFirst else {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: failure)
            return
        }
        if let failure { countFailure(node.name, failure) }
        let gaveUp =
            states[node.name]?.recordFirstProbe(
                generation: generation, startedAt: startedAt, error: failure.map { "\($0)" },
                errorThreshold: configuration.errorThreshold) ?? false
        if gaveUp { reportGaveUp(node.name) }
    }

    private func deleteIgnoringNotFound(_ name: String, namespace: String) async -> KubernetesError? {
        do throws(KubernetesError) {
            try await api.deletePod(named: name, namespace: namespace)
            return nil
        } catch {
            if case .notFound = error { return nil }
            return error
        }
    }

    /// Stores the window start on the node (after the first pod), and announces the window. `false` when the patch
    /// failed (the failure is counted as the round's).
    @discardableResult
    private func storeWindowStart(_ node: Node, generation: Int, startedAt: Date) async -> Bool {
        let start = RFC3339.string(states[node.name]?.windowStart ?? startedAt)
        do throws(KubernetesError) {
            _ = try await api.mergePatchAnnotations(node: node.name, [SnatNames.healingStartedAtAnnotation: start])
        } catch {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return false
        }
        states[node.name]?.recordWindowStored(generation: generation, interval: configuration.interval)
        if states[node.name]?.isStartAnnounced == false {
            states[node.name]?.recordStartAnnounced()
            announce(
                node, SnatNames.startedReason,
                "Creating a probe pod every \(configuration.interval) until \(windowEnd(of: node.name))", .normal)
        }
        return true
    }

    /// The window is over: delete the probe pod and, in one merge patch, mark the node healed and remove the
    /// window start.
    private func finish(_ node: Node, generation: Int, startedAt: Date) async {
        if let error = await deleteIgnoringNotFound(
            ProbePod.name(for: node.name), namespace: configuration.probePod.namespace)
        {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return
        }
        do throws(KubernetesError) {
            _ = try await api.mergePatchAnnotations(
                node: node.name, [SnatNames.healedAnnotation: "true", SnatNames.healingStartedAtAnnotation: nil])
        } catch {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return
        }
        states[node.name]?.recordHealed(generation: generation)
        metrics.nodesHealed.increment()
        logger.info("Node healed", metadata: ["node": "\(node.name)"])
        announce(
            node, SnatNames.healedReason, "Healing window over; marked \(SnatNames.healedAnnotation)=true", .normal)
    }

    private func finishRound(_ name: String, generation: Int, startedAt: Date, error: KubernetesError?) {
        if let error { countFailure(name, error) }
        let gaveUp =
            states[name]?.recordRound(
                generation: generation, startedAt: startedAt, interval: configuration.interval,
                error: error.map { "\($0)" }, errorThreshold: configuration.errorThreshold) ?? false
        if gaveUp { reportGaveUp(name) }
    }

    private func countFailure(_ name: String, _ error: KubernetesError) {
        metrics.healingErrors.increment()
        logger.warning("Healing step failed", metadata: ["node": "\(name)", "error": "\(error)"])
    }

    private func reportGaveUp(_ name: String) {
        guard let state = states[name] else { return }
        logger.error(
            "Healing failed \(state.errors) times in this window; giving up until the window is over",
            metadata: ["node": "\(name)", "last_error": "\(state.lastError ?? "")"])
        announce(
            state.node, SnatNames.failedReason,
            "Gave up after \(state.errors) failed steps; last error: \(state.lastError ?? "")", .warning)
    }

    /// Deletes the probe pod of a node that is gone or no longer Windows.
    func deleteProbePod(of name: String, reason: String) async {
        do throws(KubernetesError) {
            try await api.deletePod(named: ProbePod.name(for: name), namespace: configuration.probePod.namespace)
            logger.info("Deleted a leftover probe pod", metadata: ["node": "\(name)", "reason": "\(reason)"])
        } catch {
            if case .notFound = error { return }
            logger.warning(
                "Could not delete a leftover probe pod; the next resync tries again",
                metadata: ["node": "\(name)", "error": "\(error)"])
        }
    }

    private func windowEnd(of name: String) -> String {
        guard let start = states[name]?.windowStart else { return "the window is over" }
        return RFC3339.string(start + configuration.window.timeInterval)
    }

    /// Creates a Kubernetes Event about `node` without waiting for it: an Event that cannot be written never
    /// holds up healing. The task is the scheduler's (`announcements`), awaited when it stops.
    private func announce(_ node: Node, _ reason: String, _ note: String, _ type: EventType) {
        let event = Event.about(
            node: node, reason: reason, note: note, type: type, action: "Heal",
            reportingInstance: configuration.reportingInstance, at: MicroTime(clock.now))
        let id = nextAnnouncement
        nextAnnouncement += 1
        announcements[id] = Task { [api, logger] in
            do throws(KubernetesError) {
                _ = try await api.createEvent(event)
            } catch {
                logger.notice(
                    "Could not create an Event",
                    metadata: ["node": "\(node.name)", "reason": "\(reason)", "error": "\(error)"])
            }
            self.announcementFinished(id)
        }
    }

    private func announcementFinished(_ id: Int) {
        announcements[id] = nil
    }
}
