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
        case .waitingForReady, .healed:
            // Resume a window stored on the node (a restart, a resync) unless it ended with a NotReady spell.
            let stored =
                hasStaleWindowStart
                ? nil : snapshot.annotation(SnatNames.healingStartedAtAnnotation).flatMap(RFC3339.date)
            startWindow(at: now, stored: stored)
            observation.startedWindow = true
        }
        return observation
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
    }

    /// The next thing to do for this node at `now`, if anything is due.
    public func dueAction(at now: Date, window: Duration, interval: Duration) -> HealingAction? {
        guard let nextStep, nextStep <= now else { return nil }
        switch phase {
        case .healing:
            guard let windowStart else { return nil }
            if now >= windowStart + window.timeInterval { return .finish }
            if isWindowStored { return .probe }
            if !hasFirstProbe { return .firstProbe }
            return roundIsDue(at: now, interval: interval) ? .storeWindowStartAndProbe : .storeWindowStart
        case .waitingForReady:
            return hasStaleWindowStart ? .clearStaleWindowStart : nil
        case .failed, .healed:
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
    public mutating func recordFirstProbe(generation: Int, startedAt: Date, error: String?, errorThreshold: Int) -> Bool
    {
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
        generation: Int, startedAt: Date, interval: Duration, error: String?, errorThreshold: Int
    ) -> Bool {
        guard generation == self.generation, phase == .healing else { return false }
        lastRound = startedAt
        nextStep = startedAt + interval.timeInterval
        return recordError(error, errorThreshold: errorThreshold)
    }

    private mutating func recordError(_ error: String?, errorThreshold: Int) -> Bool {
        guard let error else { return false }
        errors += 1
        lastError = error
        guard errors >= errorThreshold else { return false }
        phase = .failed
        // Looked at again once the window is over; a new one starts then (observe).
        nextStep = nil
        return true
    }

    public mutating func recordHealed(generation: Int) {
        guard generation == self.generation else { return }
        phase = .healed
        windowStart = nil
        nextStep = nil
        var annotations = node.metadata.annotations ?? [:]
        annotations[SnatNames.healedAnnotation] = "true"
        annotations[SnatNames.healingStartedAtAnnotation] = nil
        node.metadata.annotations = annotations
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
