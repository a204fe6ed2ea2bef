public import Foundation

/// What one healing window has learned of its probe pods: how many the API server accepted, how many got their
/// sandbox (and when the newest of those was created), and why the last one that did not, did not. Kept in memory
/// only: a window resumed after a restart counts from then on.
public struct SandboxEvidence: Sendable, Equatable {
    /// Probe pods the API server accepted in this window.
    public private(set) var probesCreated = 0
    /// Probe pods of this window that got their sandbox.
    public private(set) var sandboxes = 0
    /// When the newest probe pod that got its sandbox was created.
    public private(set) var newestSandboxProbe: Date?
    /// When the oldest probe pod that got its sandbox was created: pods created on the node before it started with
    /// the configuration the node had before.
    public private(set) var oldestSandboxProbe: Date?
    /// Why the last probe pod that got no sandbox got none.
    public private(set) var lastMiss: ProbeMiss?
    /// Whether the last outcome counted was a sandbox (not a miss).
    public private(set) var lastOutcomeWasSandbox = false
    /// Pods whose outcome is counted, by uid: each counts once, however often it is seen.
    private var settled: Set<String> = []

    public init() {}

    mutating func recordCreated() {
        probesCreated += 1
    }

    /// Counts the sandbox of the pod `uid`, created at `createdAt`; `false` when it was counted before.
    mutating func recordSandbox(uid: String, createdAt: Date) -> Bool {
        guard settled.insert(uid).inserted else { return false }
        sandboxes += 1
        lastOutcomeWasSandbox = true
        newestSandboxProbe = max(newestSandboxProbe ?? createdAt, createdAt)
        oldestSandboxProbe = min(oldestSandboxProbe ?? createdAt, createdAt)
        return true
    }

    /// Counts a pod that got no sandbox; `false` when its outcome was counted before.
    mutating func recordMiss(uid: String, _ miss: ProbeMiss) -> Bool {
        guard settled.insert(uid).inserted else { return false }
        lastMiss = miss
        lastOutcomeWasSandbox = false
        return true
    }

    func isSettled(_ uid: String) -> Bool { settled.contains(uid) }

    /// At least `minimum` sandboxes, one of them from a probe pod created at `recentSince` or later.
    func isVerified(minimum: Int, recentSince: Date) -> Bool {
        sandboxes >= minimum && (newestSandboxProbe.map { $0 >= recentSince } ?? false)
    }
}

/// The probe pod a node has now: which one (uid), when it was asked for, and what was last seen of it.
public struct CurrentProbe: Sendable, Equatable {
    public var name: String
    public var uid: String
    /// When the API server answered its create, on the scheduler's clock (server times may be skewed); a create
    /// that waited for the client's rate limit is dated when it was made, not when it was asked for.
    public var createdAt: Date
    public var status: ProbeStatus
    /// When `status` was read; `nil` when it is what the create answered.
    public var seenAt: Date?
}
