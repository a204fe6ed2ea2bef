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

    /// A probe round, as the node's current probe pod allows (`roundPlan`): a pod that got its sandbox, or that the
    /// scheduler cannot place, is deleted and created again; a bound pod still waiting for its sandbox is left
    /// alone until `sandbox_timeout`, then counted as missed (with the kubelet's reason) and replaced. A new window's
    /// first round only creates: there is normally no pod yet, and a pod left from before answers 409 and is deleted
    /// for the next round to replace.
    private func probe(_ node: Node, generation: Int, startedAt: Date, isFirst: Bool = false) async {
        guard let state = states[node.name] else { return }
        var failure: KubernetesError?
        if isFirst {
            failure = await createProbe(node, generation: generation, startedAt: startedAt, replacingLeftover: true)
            if let failure { countFailure(node.name, failure) }
            let gaveUp =
                states[node.name]?.recordFirstProbe(
                    generation: generation, startedAt: startedAt, error: failure,
                    errorThreshold: configuration.errorThreshold) ?? false
            if gaveUp { reportGaveUp(node.name) }
            return
        }
        switch state.roundPlan(at: startedAt, configuration: configuration) {
        case .wait(let until):
            let next = min(until, startedAt + configuration.interval.timeInterval)
            states[node.name]?.recordWaitingRound(generation: generation, startedAt: startedAt, next: next)
            return
        case .create:
            // No probe pod of this window is known: one that answers 409 was left from before (a restart).
            failure = await createProbe(node, generation: generation, startedAt: startedAt, replacingLeftover: true)
        case .replace(let miss):
            if let miss { recordMiss(node.name, miss, generation: generation) }
            failure = await replaceProbe(node, generation: generation, startedAt: startedAt)
        case .replaceAfterTimeout:
            if let probe = state.probe {
                recordMiss(node.name, await missedSandbox(probe), generation: generation)
            }
            failure = await replaceProbe(node, generation: generation, startedAt: startedAt)
        }
        finishRound(node.name, generation: generation, startedAt: startedAt, error: failure)
    }

    /// Deletes the current probe pod (what its DELETE answers may still show its sandbox) and creates the next.
    private func replaceProbe(_ node: Node, generation: Int, startedAt: Date) async -> KubernetesError? {
        let namespace = configuration.probePod.namespace
        do throws(KubernetesError) {
            if let deleted = try await api.deletePod(named: ProbePod.name(for: node.name), namespace: namespace) {
                see(deleted, of: node.name, at: clock.now)
            }
        } catch {
            if case .notFound = error {} else { return error }
        }
        states[node.name]?.recordProbeDeleted(generation: generation)
        return await createProbe(node, generation: generation, startedAt: startedAt)
    }

    /// Creates the node's probe pod. 409 after a delete means the old one is still terminating: expected, the next
    /// round creates it; when no pod of this window is known, it is a leftover from before, deleted for the next
    /// round to replace.
    private func createProbe(
        _ node: Node, generation: Int, startedAt: Date, replacingLeftover: Bool = false
    ) async -> KubernetesError? {
        metrics.recordAttempt()
        let pod = configuration.probePod.pod(for: node)
        let namespace = configuration.probePod.namespace
        do throws(KubernetesError) {
            let created = try await api.createPod(pod, namespace: namespace)
            if states[node.name]?.recordProbeCreated(generation: generation, created, at: clock.now) == true {
                metrics.recordProbe(.created)
            }
            // The first probe pod of a window started by this process (a resumed window's first came before).
            if let state = states[node.name], state.evidence.probesCreated == 1, !state.isWindowStored,
                let start = state.windowStart
            {
                metrics.timeToFirstProbe.record(.seconds(max(0, clock.now.timeIntervalSince(start))))
            }
            logger.debug("Probe pod created", metadata: ["node": "\(node.name)", "pod": "\(pod.name)"])
            return nil
        } catch {
            guard case .alreadyExists = error else { return error }
            logger.debug(
                "Probe pod still there or terminating; the next round creates it", metadata: ["node": "\(node.name)"])
            return replacingLeftover ? await deleteIgnoringNotFound(pod.name, namespace: namespace) : nil
        }
    }

    /// Applies what was read of a probe pod to its node; counts and logs a sandbox seen for the first time.
    func see(_ pod: Pod, of name: String, at seenAt: Date) {
        guard states[name]?.recordProbeSeen(pod, at: seenAt) == true else { return }
        metrics.recordProbe(.created)
        logger.debug(
            "Probe pod got its pod sandbox",
            metadata: ["node": "\(name)", "pod": "\(pod.name)", "ip": "\(pod.status?.podIP ?? "")"])
    }

    private func recordMiss(_ name: String, _ miss: ProbeMiss, generation: Int) {
        guard states[name]?.recordProbeMiss(generation: generation, miss) == true else { return }
        metrics.recordProbe(miss.outcome)
        logger.info(
            "Probe pod got no pod sandbox",
            metadata: [
                "node": "\(name)", "result": "\(miss.outcome.rawValue)",
                "reason": "\(miss.detail)",
            ])
    }

    /// Why a bound probe pod got no sandbox in time: the kubelet's `FailedCreatePodSandBox` Event names the CNI's
    /// error; without one it simply timed out (with the container's waiting reason).
    private func missedSandbox(_ probe: CurrentProbe) async -> ProbeMiss {
        let waited = "waited \(configuration.sandboxTimeout.shortText)"
        let waiting: String
        if case .waiting(let reason?) = probe.status { waiting = ", the container \(reason)" } else { waiting = "" }
        do throws(KubernetesError) {
            let events = try await api.listEvents(
                namespace: configuration.probePod.namespace, fieldSelector: "involvedObject.uid=\(probe.uid)",
                limit: 50)
            if let failed = events.last(where: { $0.reason == "FailedCreatePodSandBox" }) {
                return ProbeMiss(.sandboxFailed, failed.message ?? "FailedCreatePodSandBox")
            }
        } catch {
            logger.notice(
                "Could not read the probe pod's Events", metadata: ["pod": "\(probe.name)", "error": "\(error)"])
        }
        return ProbeMiss(.timeout, waited + waiting)
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
    /// failed (the failure is counted as the round's). A retry time left from an unverified window goes in the same
    /// patch: the wait it stood for is over.
    @discardableResult
    private func storeWindowStart(_ node: Node, generation: Int, startedAt: Date) async -> Bool {
        let start = RFC3339.string(states[node.name]?.windowStart ?? startedAt)
        do throws(KubernetesError) {
            _ = try await api.mergePatchAnnotations(
                node: node.name, [SnatNames.healingStartedAtAnnotation: start, SnatNames.retryAtAnnotation: nil])
        } catch {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return false
        }
        states[node.name]?.recordWindowStored(generation: generation, interval: configuration.interval)
        if states[node.name]?.isStartAnnounced == false {
            states[node.name]?.recordStartAnnounced()
            announce(
                node, SnatNames.startedReason,
                "Creating a probe pod every \(configuration.interval.shortText) until \(windowEnd(of: node.name))",
                .normal)
        }
        return true
    }

    /// The window is over (`finishPlan`): mark the node healed if its probe pods' sandboxes show it loaded the CNI
    /// configuration, wait a little for the last pod's sandbox, extend a resumed window short of evidence, or mark
    /// it unverified and set the time of the next window.
    private func finish(_ node: Node, generation: Int, startedAt: Date) async {
        guard var plan = states[node.name]?.finishPlan(at: startedAt, configuration: configuration) else { return }
        if plan == .classifyLastProbe, let probe = states[node.name]?.probe {
            recordMiss(node.name, await missedSandbox(probe), generation: generation)
            guard let replanned = states[node.name]?.finishPlan(at: startedAt, configuration: configuration) else {
                return
            }
            plan = replanned
        }
        switch plan {
        case .wait(let until):
            // Looked at again after the next list of the probe pods.
            let next = min(until, startedAt + (configuration.interval / 2).timeInterval)
            states[node.name]?.recordFinishDeferred(generation: generation, until: next)
        case .extend(let more, let why):
            states[node.name]?.recordWindowExtended(generation: generation, by: more, at: startedAt)
            logger.info(
                "Healing window ended short of pod sandboxes; extending it to collect them",
                metadata: ["node": "\(node.name)", "extension": "\(more.shortText)", "why": "\(why.rawValue)"])
        case .healed:
            await markHealed(node, generation: generation, startedAt: startedAt)
        case .unverified(let reason):
            await markUnverified(node, reason: reason, generation: generation, startedAt: startedAt)
        case .classifyLastProbe:
            break
        }
    }

    /// Deletes the probe pod and, in one merge patch, marks the node healed and removes the window start.
    private func markHealed(_ node: Node, generation: Int, startedAt: Date) async {
        if let error = await deleteIgnoringNotFound(
            ProbePod.name(for: node.name), namespace: configuration.probePod.namespace)
        {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return
        }
        do throws(KubernetesError) {
            _ = try await api.mergePatchAnnotations(
                node: node.name,
                [
                    SnatNames.healedAnnotation: "true", SnatNames.healingStartedAtAnnotation: nil,
                    SnatNames.retryAtAnnotation: nil,
                ])
        } catch {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return
        }
        let sandboxes = states[node.name]?.evidence.sandboxes ?? 0
        let firstSandbox = states[node.name]?.evidence.oldestSandboxProbe
        if let start = states[node.name]?.windowStart {
            metrics.timeToHealed.record(.seconds(max(0, clock.now.timeIntervalSince(start))))
        }
        states[node.name]?.recordHealed(generation: generation)
        metrics.nodesHealed.increment()
        logger.info("Node healed", metadata: ["node": "\(node.name)", "sandboxes": "\(sandboxes)"])
        let evidence =
            configuration.verifySandboxes ? "; \(sandboxes) probe pods got a pod sandbox" : " (sandboxes not verified)"
        announce(
            node, SnatNames.healedReason,
            "Healing window over\(evidence); marked \(SnatNames.healedAnnotation)=true", .normal)
        await liftStartupTaint(of: node.name)
        await reportPodsPredatingHealing(on: node, before: firstSandbox ?? startedAt)
    }

    /// Not healed: the probe pod goes, the window start leaves the node and the retry time is stored in its place,
    /// and a Warning Event says why.
    private func markUnverified(_ node: Node, reason: String, generation: Int, startedAt: Date) async {
        let retryAt = startedAt + configuration.retryAfter.timeInterval
        if let error = await deleteIgnoringNotFound(
            ProbePod.name(for: node.name), namespace: configuration.probePod.namespace)
        {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return
        }
        do throws(KubernetesError) {
            _ = try await api.mergePatchAnnotations(
                node: node.name,
                [SnatNames.healingStartedAtAnnotation: nil, SnatNames.retryAtAnnotation: RFC3339.string(retryAt)])
        } catch {
            finishRound(node.name, generation: generation, startedAt: startedAt, error: error)
            return
        }
        states[node.name]?.recordUnverified(generation: generation, retryAt: retryAt)
        logger.warning(
            "Node not marked healed: its probe pods did not show the CNI configuration was loaded",
            metadata: ["node": "\(node.name)", "reason": "\(reason)", "retry_at": "\(RFC3339.string(retryAt))"])
        announce(
            node, SnatNames.unverifiedReason,
            "Not marked healed: \(reason)\(reason.hasSuffix(".") ? "" : ".") The next healing window starts at "
                + "\(RFC3339.string(retryAt)).", .warning)
    }

    private func finishRound(_ name: String, generation: Int, startedAt: Date, error: KubernetesError?) {
        if let error { countFailure(name, error) }
        let gaveUp =
            states[name]?.recordRound(
                generation: generation, startedAt: startedAt, interval: configuration.interval,
                error: error, errorThreshold: configuration.errorThreshold) ?? false
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
            "Gave up after \(state.errors) failed API calls; last error: \(state.lastError ?? "")", .warning)
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
    func announce(_ node: Node, _ reason: String, _ note: String, _ type: EventType) {
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
