public import Foundation
public import Kubernetes

/// Where one Windows node stands. Nodes that are not Windows are not tracked at all.
public enum HealingPhase: String, Sendable, CaseIterable {
    /// Not Ready yet (or not any more): nothing is done to it.
    case waitingForReady = "waiting_for_ready"
    /// Inside its healing window: a probe pod every interval.
    case healing
    /// Its steps failed `error_threshold` times in this window: given up until the window has passed.
    case failed
    /// Its last window ended without enough sandbox evidence: not marked healed; a new window starts at `retryAt`.
    case unverified
    /// Marked healed on the node: nothing more to do unless the annotation is reset.
    case healed
}

/// The healing state of one Windows node, changed by what is observed of the node (`observe`) and by the
/// outcome of each step (`record…`). A value type with no I/O, so that every rule is tested on its own.
public struct NodeHealingState: Sendable, Equatable {
    public private(set) var node: Node
    public private(set) var phase: HealingPhase = .waitingForReady
    /// Start of the current window; `nil` outside a window.
    public private(set) var windowStart: Date?
    /// Whether the window start is stored on the node (`healingStartedAtAnnotation`).
    public private(set) var isWindowStored = false
    /// Whether this window's start was announced (Event); a resumed window was announced before the restart.
    public private(set) var isStartAnnounced = false
    /// Whether this window's first probe pod was asked for. A new window creates its first pod before anything
    /// else (storing the start, the Event), so that a node pool scaling out gets first pods at the rate limit.
    public private(set) var hasFirstProbe = false
    /// The node still carries the start of a window that ended because it turned NotReady; it is removed, so that
    /// a restart does not resume a window that no longer runs.
    public private(set) var hasStaleWindowStart = false
    public private(set) var errors = 0
    public private(set) var lastError: String?
    /// When the next step is due; `nil` when nothing is to be done.
    public private(set) var nextStep: Date?
    /// Changes with every new window, so that a step's outcome for an old window is not applied to a new one.
    public private(set) var generation = 0
    /// When the next window starts after an unverified one (stored on the node as `retryAtAnnotation`).
    public private(set) var retryAt: Date?
    /// What this window learned of its probe pods' sandboxes.
    public private(set) var evidence = SandboxEvidence()
    /// The node's current probe pod, once one was created in this window.
    public private(set) var probe: CurrentProbe?
    /// Whether this window was resumed from the node (a restart): its evidence only counts from then on.
    public private(set) var isResumed = false
    /// How much longer than `healing_duration` this window runs: a resumed window short of sandboxes at its end
    /// gets `min_sandboxes × interval` once, to collect them.
    public private(set) var windowExtension: Duration = .zero

    public init(node: Node) {
        self.node = node
    }

    /// What an observation found, for metrics and logs.
    public struct Observation: Sendable, Equatable {
        public var isNotReadySighting = false
        public var startedWindow = false
        public var leftHealing = false
    }

    /// Takes a new snapshot of the node (from the webhook or a resync) and applies the rules of the README's
    /// "Healing" section.
    public mutating func observe(_ snapshot: Node, now: Date, window: Duration) -> Observation {
        node = snapshot
        var observation = Observation()
        if snapshot.annotation(SnatNames.healedAnnotation) == "true" {
            phase = .healed
            windowStart = nil
            nextStep = nil
            return observation
        }
        guard snapshot.isReady else {
            observation.isNotReadySighting = true
            if phase == .healing || phase == .failed {
                observation.leftHealing = true
                hasStaleWindowStart = true
            }
            if snapshot.annotation(SnatNames.healingStartedAtAnnotation) != nil && phase != .waitingForReady {
                hasStaleWindowStart = true
            }
            phase = .waitingForReady
            windowStart = nil
            errors = 0
            nextStep = hasStaleWindowStart ? now : nil
            return observation
        }
        switch phase {
        case .healing:
            break
        case .failed:
            if let windowStart, now >= windowStart + window.timeInterval {
                startWindow(at: now, stored: nil)
                observation.startedWindow = true
            }
        case .unverified:
            observation.startedWindow = startRetryWindowIfDue(at: now)
        case .waitingForReady, .healed:
            // Resume a window stored on the node (a restart, a resync) unless it ended with a NotReady spell; wait
            // for a stored retry time after an unverified window.
            let stored =
                hasStaleWindowStart
                ? nil : snapshot.annotation(SnatNames.healingStartedAtAnnotation).flatMap(RFC3339.date)
            if stored == nil, let retry = snapshot.annotation(SnatNames.retryAtAnnotation).flatMap(RFC3339.date),
                retry > now
            {
                phase = .unverified
                retryAt = retry
                windowStart = nil
                nextStep = retry
                return observation
            }
            startWindow(at: now, stored: stored)
            observation.startedWindow = true
        }
        return observation
    }

    /// Whether `other` is the same state whatever node snapshot each holds: the same phase, window, plans and
    /// evidence, so observing one or the other leads to the same calls.
    func decidesAlike(_ other: NodeHealingState) -> Bool {
        var copy = other
        copy.node = node
        return copy == self
    }

    /// After an unverified window, starts the next one once `retryAt` has come; `true` when it did.
    public mutating func startRetryWindowIfDue(at now: Date) -> Bool {
        guard phase == .unverified, let retryAt, now >= retryAt else { return false }
        startWindow(at: now, stored: nil)
        return true
    }

    private mutating func startWindow(at now: Date, stored: Date?) {
        phase = .healing
        generation += 1
        windowStart = stored.map { min($0, now) } ?? now
        isWindowStored = stored != nil
        isStartAnnounced = stored != nil
        hasFirstProbe = stored != nil
        hasStaleWindowStart = false
        errors = 0
        lastError = nil
        lastRound = nil
        nextStep = now
        retryAt = nil
        evidence = SandboxEvidence()
        probe = nil
        isResumed = stored != nil
        windowExtension = .zero
    }

    /// When this window ends: `healing_duration` after its start, plus an extension granted to a resumed window.
    public func windowEnd(window: Duration) -> Date? {
        windowStart.map { $0 + (window + windowExtension).timeInterval }
    }

    /// The next thing to do for this node at `now`, if anything is due.
    public func dueAction(at now: Date, configuration: HealingConfiguration) -> HealingAction? {
        guard let nextStep, nextStep <= now else { return nil }
        let interval = configuration.interval
        switch phase {
        case .healing:
            guard let windowEnd = windowEnd(window: configuration.window) else { return nil }
            if now >= windowEnd { return .finish }
            // An extended window ends as soon as it has collected its evidence.
            if windowExtension > .zero,
                evidence.isVerified(
                    minimum: configuration.minSandboxes, recentSince: now - (interval * 2).timeInterval)
            {
                return .finish
            }
            if isWindowStored { return .probe }
            if !hasFirstProbe { return .firstProbe }
            return roundIsDue(at: now, interval: interval) ? .storeWindowStartAndProbe : .storeWindowStart
        case .waitingForReady:
            return hasStaleWindowStart ? .clearStaleWindowStart : nil
        case .failed, .healed, .unverified:
            return nil
        }
    }

    /// A probe round is due once a whole interval has passed since the last one (the first pod at the window start).
    private func roundIsDue(at now: Date, interval: Duration) -> Bool {
        guard let windowStart else { return false }
        return now >= (lastRound ?? windowStart) + interval.timeInterval
    }

    /// When the last probe round of this window began.
    public private(set) var lastRound: Date?

    /// The first probe pod was asked for at `startedAt`; storing the window start is due next, behind the first
    /// pods of other new nodes (steps run in the order they fell due).
    /// Returns `true` when an error reached the threshold.
    @discardableResult
    public mutating func recordFirstProbe(
        generation: Int, startedAt: Date, error: KubernetesError?, errorThreshold: Int
    ) -> Bool {
        guard generation == self.generation, phase == .healing else { return false }
        hasFirstProbe = true
        lastRound = startedAt
        // Just after: behind every first probe that fell due at the same instant.
        nextStep = startedAt + 0.001
        return recordError(error, errorThreshold: errorThreshold)
    }

    /// The window start is on the node; the next round comes one interval after the last.
    public mutating func recordWindowStored(generation: Int, interval: Duration) {
        guard generation == self.generation else { return }
        isWindowStored = true
        if phase == .healing, let last = lastRound ?? windowStart { nextStep = last + interval.timeInterval }
    }

    public mutating func recordStartAnnounced() {
        isStartAnnounced = true
    }

    /// Removing the stale window start failed: try again at `retryAt`.
    public mutating func recordStaleWindowStartNotCleared(retryAt: Date) {
        if phase == .waitingForReady && hasStaleWindowStart { nextStep = retryAt }
    }

    public mutating func recordStaleWindowStartCleared() {
        hasStaleWindowStart = false
        if phase == .waitingForReady { nextStep = nil }
    }

    /// A probe round (or a failed finish) is over: the next one is due one interval after this one began.
    /// Returns `true` when this error reached the threshold and the node is given up for this window.
    @discardableResult
    public mutating func recordRound(
        generation: Int, startedAt: Date, interval: Duration, error: KubernetesError?, errorThreshold: Int
    ) -> Bool {
        guard generation == self.generation, phase == .healing else { return false }
        lastRound = startedAt
        nextStep = startedAt + interval.timeInterval
        return recordError(error, errorThreshold: errorThreshold)
    }

    /// Counts the failed API attempts of a failed step: every attempt the client retried failed too, so a step that
    /// retried for seconds weighs as much as the same failures made one step at a time (the threshold must not
    /// depend on how many steps happened to finish in the window).
    private mutating func recordError(_ error: KubernetesError?, errorThreshold: Int) -> Bool {
        guard let error else { return false }
        errors += max(1, error.call.attempts)
        lastError = "\(error)"
        guard errors >= errorThreshold else { return false }
        phase = .failed
        // Looked at again once the window is over; a new one starts then (observe).
        nextStep = nil
        return true
    }

    // MARK: Probe pods and their sandboxes

    /// The API server accepted the window's new probe pod; what it answered is its first status. Returns `true`
    /// when that already shows its sandbox.
    @discardableResult
    public mutating func recordProbeCreated(generation: Int, _ pod: Pod, at createdAt: Date) -> Bool {
        guard generation == self.generation, phase == .healing else { return false }
        evidence.recordCreated()
        probe = CurrentProbe(
            name: pod.name, uid: pod.metadata.uid ?? "", createdAt: createdAt, status: ProbeStatus(pod), seenAt: nil)
        return recordSandboxIfAny()
    }

    /// What was read of the current probe pod (a list, the answer to its DELETE). Returns `true` when this showed
    /// its sandbox for the first time.
    @discardableResult
    public mutating func recordProbeSeen(_ pod: Pod, at seenAt: Date) -> Bool {
        guard phase == .healing, let uid = pod.metadata.uid, uid == probe?.uid else { return false }
        probe?.status = ProbeStatus(pod)
        probe?.seenAt = seenAt
        return recordSandboxIfAny()
    }

    /// A list read at `seenAt` does not have the current probe pod although it was created well before: it is
    /// gone (deleted by someone, evicted), and the next round creates a new one.
    public mutating func recordProbeGone(listedAt seenAt: Date) {
        guard let probe, seenAt > probe.createdAt + 1 else { return }
        self.probe = nil
    }

    /// Counts why the current probe pod got no sandbox; `false` when its outcome was counted before.
    @discardableResult
    public mutating func recordProbeMiss(generation: Int, _ miss: ProbeMiss) -> Bool {
        guard generation == self.generation, let uid = probe?.uid else { return false }
        return evidence.recordMiss(uid: uid, miss)
    }

    /// The current probe pod was deleted: the next round creates a new one.
    public mutating func recordProbeDeleted(generation: Int) {
        guard generation == self.generation else { return }
        probe = nil
    }

    private mutating func recordSandboxIfAny() -> Bool {
        guard let probe, probe.status.hasSandbox else { return false }
        return evidence.recordSandbox(uid: probe.uid, createdAt: probe.createdAt)
    }

    /// A round left the current probe pod alone (its sandbox may still come): the next look is at `next`.
    public mutating func recordWaitingRound(generation: Int, startedAt: Date, next: Date) {
        guard generation == self.generation, phase == .healing else { return }
        lastRound = startedAt
        nextStep = next
    }

    // MARK: The window's end

    /// The window is over but its last probe pod may still get its sandbox: look again at `next`.
    public mutating func recordFinishDeferred(generation: Int, until next: Date) {
        guard generation == self.generation, phase == .healing else { return }
        nextStep = next
    }

    /// A resumed window ended short of sandboxes: it runs `extension` longer, with rounds as before.
    public mutating func recordWindowExtended(generation: Int, by extension: Duration, at now: Date) {
        guard generation == self.generation, phase == .healing else { return }
        windowExtension = `extension`
        nextStep = now
    }

    /// The window ended without enough evidence: not healed; the window start leaves the node and the next window
    /// starts at `retryAt`.
    public mutating func recordUnverified(generation: Int, retryAt: Date) {
        guard generation == self.generation else { return }
        phase = .unverified
        self.retryAt = retryAt
        windowStart = nil
        probe = nil
        nextStep = retryAt
        var annotations = node.metadata.annotations ?? [:]
        annotations[SnatNames.healingStartedAtAnnotation] = nil
        annotations[SnatNames.retryAtAnnotation] = RFC3339.string(retryAt)
        node.metadata.annotations = annotations
    }

    public mutating func recordHealed(generation: Int) {
        guard generation == self.generation else { return }
        phase = .healed
        windowStart = nil
        nextStep = nil
        var annotations = node.metadata.annotations ?? [:]
        annotations[SnatNames.healedAnnotation] = "true"
        annotations[SnatNames.healingStartedAtAnnotation] = nil
        annotations[SnatNames.retryAtAnnotation] = nil
        node.metadata.annotations = annotations
        probe = nil
    }
}

/// A step the scheduler performs for one node.
public enum HealingAction: Sendable, Equatable {
    /// A new window's first probe pod, before anything else: create it (a pod left from before is replaced).
    case firstProbe
    /// Write the window start on the node (no probe round is due yet).
    case storeWindowStart
    /// Write the window start on the node, then a probe round.
    case storeWindowStartAndProbe
    /// Delete the probe pod (a missing one is fine) and create it again.
    case probe
    /// The window is over: delete the probe pod and mark the node healed.
    case finish
    /// Remove the start of a window that ended when the node turned NotReady.
    case clearStaleWindowStart
}
