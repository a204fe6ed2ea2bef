import Foundation
import Kubernetes
import LeaderElection
import Synchronization

/// Leases kept in memory with the API server's rules for them: a create of an existing name is 409
/// `AlreadyExists`, a PUT whose `resourceVersion` is not the stored one is 409 `Conflict`, every write takes a
/// new `resourceVersion`. Tests can fail the next calls of one kind, or change the Lease behind a reader's back.
final class InMemoryLeases: LeaseAPI {
    struct State {
        var leases: [String: Lease] = [:]
        var revision = 0
        var calls: [String] = []
        /// Calls of these verbs fail with a 500 until cleared.
        var failing: Set<String> = []
        /// Run once between the next GET's answer and the PUT that follows it.
        var afterNextGet: (@Sendable (inout [String: Lease]) -> Void)?
    }

    let state = Mutex(State())

    var calls: [String] { state.withLock { $0.calls } }

    func lease(_ name: String = "cops-vigilante") -> Lease? {
        state.withLock { $0.leases["ops/\(name)"] }
    }

    func fail(_ verbs: Set<String>) {
        state.withLock { $0.failing = verbs }
    }

    /// Writes `spec` as another replica would (a new resourceVersion).
    func write(_ spec: LeaseSpec, name: String = "cops-vigilante") {
        state.withLock { state in
            state.revision += 1
            var lease =
                state.leases["ops/\(name)"]
                ?? Lease(
                    metadata: ObjectMeta(name: name, namespace: "ops"), spec: LeaseSpec())
            lease.spec = spec
            lease.metadata.resourceVersion = "\(state.revision)"
            state.leases["ops/\(name)"] = lease
        }
    }

    private func call(_ verb: String, path: String = "/leases") -> KubernetesCall {
        KubernetesCall(verb: .getLease, method: verb, path: path, attempts: 1)
    }

    private func begin(_ verb: String) throws(KubernetesError) {
        let failing = state.withLock { state -> Bool in
            state.calls.append(verb)
            return state.failing.contains(verb)
        }
        if failing { throw .serverError(call(verb), code: 500, message: "injected") }
    }

    func getLease(named name: String, namespace: String) async throws(KubernetesError) -> Lease {
        try begin("GET")
        let found = state.withLock { state -> Lease? in
            let lease = state.leases["\(namespace)/\(name)"]
            if let change = state.afterNextGet {
                state.afterNextGet = nil
                change(&state.leases)
                state.revision += 1
                for key in state.leases.keys { state.leases[key]?.metadata.resourceVersion = "\(state.revision)" }
            }
            return lease
        }
        guard let found else { throw .notFound(call("GET"), message: "leases \"\(name)\" not found") }
        return found
    }

    func createLease(_ lease: Lease) async throws(KubernetesError) -> Lease {
        try begin("POST")
        let key = "\(lease.metadata.namespace ?? "")/\(lease.metadata.name ?? "")"
        let created = state.withLock { state -> Lease? in
            guard state.leases[key] == nil else { return nil }
            state.revision += 1
            var stored = lease
            stored.metadata.resourceVersion = "\(state.revision)"
            state.leases[key] = stored
            return stored
        }
        guard let created else { throw .alreadyExists(call("POST"), message: "already exists") }
        return created
    }

    func updateLease(_ lease: Lease) async throws(KubernetesError) -> Lease {
        try begin("PUT")
        let key = "\(lease.metadata.namespace ?? "")/\(lease.metadata.name ?? "")"
        let written = state.withLock { state -> Lease? in
            guard let stored = state.leases[key], stored.metadata.resourceVersion == lease.metadata.resourceVersion
            else { return nil }
            state.revision += 1
            var updated = lease
            updated.metadata.resourceVersion = "\(state.revision)"
            state.leases[key] = updated
            return updated
        }
        guard let written else { throw .conflict(call("PUT"), message: "the object has been modified") }
        return written
    }
}

/// Wall time and uptime moved by hand, together (`advance`) or the wall clock alone (`jumpWall`, an NTP step).
final class ManualElectionClock: ElectionClock {
    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var wall = Date(timeIntervalSince1970: 1_800_000_000)
        var uptime: Duration = .seconds(1000)
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    var wallNow: Date { state.withLock { $0.wall } }
    var uptime: Duration { state.withLock { $0.uptime } }
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func advance(by duration: Duration) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.uptime += duration
            state.wall += duration / .seconds(1)
            let due = state.sleepers.filter { $0.value.deadline <= state.uptime }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.sorted { $0.deadline < $1.deadline }.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    func jumpWall(by seconds: TimeInterval) {
        state.withLock { $0.wall += seconds }
    }

    func sleep(untilUptime deadline: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now = state.withLock { state -> Bool in
                    if deadline <= state.uptime || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
