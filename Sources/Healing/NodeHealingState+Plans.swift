public import Foundation
import Kubernetes

/// What a probe round does with the node's current probe pod.
public enum RoundPlan: Sendable, Equatable {
    /// There is none: create one.
    case create
    /// It got its sandbox, or the scheduler could not place it (`miss`): delete it and create a new one.
    case replace(miss: ProbeMiss?)
    /// Bound and still without a sandbox past `sandbox_timeout`: find out why (the kubelet's Events), count the
    /// miss, then replace it.
    case replaceAfterTimeout
    /// Bound and waiting for its sandbox: leave it alone; look again at `until` at the latest.
    case wait(until: Date)
}

/// Why a window that is over gets more time.
public enum WindowExtension: String, Sendable, Equatable {
    /// Resumed after a restart: the sandboxes seen before it are not known.
    case resumed = "a resumed window short of pod sandboxes"
    /// Every probe pod got its sandbox, but the rounds came late and none of them is recent.
    case lateRounds = "probe rounds came late; no recent pod sandbox"
}

/// What happens when a window is over.
public enum FinishPlan: Sendable, Equatable {
    case healed
    /// The last probe pod may still get its sandbox: look again at `until` at the latest.
    case wait(until: Date)
    /// The last probe pod timed out and its outcome is not counted yet: find out why first.
    case classifyLastProbe
    /// The window runs this much longer, once: a resumed window short of sandboxes, or one whose rounds came too
    /// late for a recent sandbox.
    case extend(by: Duration, why: WindowExtension)
    /// Not healed, for the reason given (an operator's sentence).
    case unverified(reason: String)
}

extension NodeHealingState {
    /// What this round does, from what was last seen of the current probe pod.
    public func roundPlan(at now: Date, configuration: HealingConfiguration) -> RoundPlan {
        guard let probe else { return .create }
        switch probe.status {
        case .sandbox:
            return .replace(miss: nil)
        case .unschedulable(let message):
            // Replaced each round: the taint may be tolerated by now (the config changed), or gone from the node.
            return .replace(miss: ProbeMiss(.unschedulable, message))
        case .waiting, .unknown:
            let deadline = probe.createdAt + configuration.sandboxTimeout.timeInterval
            return now >= deadline ? .replaceAfterTimeout : .wait(until: deadline)
        }
    }

    /// Whether the window, now over, earned the healed mark.
    public func finishPlan(at now: Date, configuration: HealingConfiguration) -> FinishPlan {
        guard configuration.verifySandboxes else {
            // The original rule, but never without a single probe pod the API server accepted.
            return evidence.probesCreated > 0
                ? .healed
                : .unverified(reason: "no probe pod was created in the window (last error: \(lastError ?? "none"))")
        }
        let end = min(now, windowEnd(window: configuration.window) ?? now)
        let recentSince = end - (configuration.interval * 2).timeInterval
        if evidence.isVerified(minimum: configuration.minSandboxes, recentSince: recentSince) { return .healed }
        if let probe, !evidence.isSettled(probe.uid) {
            switch probe.status {
            case .waiting, .unknown:
                let deadline = probe.createdAt + configuration.sandboxTimeout.timeInterval
                return now < deadline ? .wait(until: deadline) : .classifyLastProbe
            case .sandbox, .unschedulable:
                break
            }
        }
        if windowExtension == .zero {
            if isResumed, evidence.sandboxes < configuration.minSandboxes {
                return .extend(by: configuration.interval * configuration.minSandboxes, why: .resumed)
            }
            // Enough sandboxes, the newest probe pod got one too, only none of them is recent: the rounds came later
            // than the interval (the client's rate limit spreads a large scale-out's rounds). The node is working;
            // one more round gives the recent evidence.
            if evidence.sandboxes >= configuration.minSandboxes, lastProbeGotSandbox {
                return .extend(by: configuration.interval * 2, why: .lateRounds)
            }
        }
        return .unverified(reason: unverifiedReason(configuration: configuration))
    }

    /// Whether the newest probe pod of the window got its sandbox (the current one, or the last one counted).
    private var lastProbeGotSandbox: Bool {
        if let probe { return probe.status.hasSandbox }
        return evidence.lastOutcomeWasSandbox
    }

    /// Why the window is not enough, in an operator's words.
    func unverifiedReason(configuration: HealingConfiguration) -> String {
        let recent = (configuration.interval * 2).shortText
        var reason =
            "\(evidence.sandboxes) of \(evidence.probesCreated) probe pods got a pod sandbox in the window; "
            + "\(configuration.minSandboxes) are needed, one of them created in its last \(recent)"
        if evidence.sandboxes >= configuration.minSandboxes {
            reason = "no probe pod created in the window's last \(recent) got a pod sandbox"
        }
        if let miss = evidence.lastMiss { reason += "; the last probe pod without one: \(miss.sentence)" }
        return reason
    }
}
