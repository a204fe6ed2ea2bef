public import Kubernetes

/// What a probe pod's status says about its sandbox. An IP (`status.podIP`) is the proof that the kubelet created
/// the sandbox and CNI ADD ran on the node, which is when Azure CNI reads its configuration; a pod the API server
/// accepted proves nothing by itself.
public enum ProbeStatus: Sendable, Equatable {
    /// The sandbox has its IP (a container that then fails to pull its image does not matter: CNI ADD ran).
    case sandbox(ip: String)
    /// Bound to the node, the sandbox not there (yet); why, from the container's waiting state when given.
    case waiting(reason: String?)
    /// The scheduler could not place it; its sentence names why (an untolerated taint, a cordoned node).
    case unschedulable(message: String)
    /// Nothing reported yet: not scheduled so far, or not seen since it was created.
    case unknown

    public init(_ pod: Pod) {
        let status = pod.status
        if let ip = status?.podIP, !ip.isEmpty {
            self = .sandbox(ip: ip)
        } else if let scheduled = status?.condition("PodScheduled"), scheduled.status == "False" {
            self = .unschedulable(message: scheduled.message ?? scheduled.reason ?? "the scheduler did not place it")
        } else if status?.condition("PodScheduled")?.status == "True" || !(pod.spec?.nodeName ?? "").isEmpty {
            let waiting = status?.containerStatuses?.compactMap { $0.state?.waiting?.reason }.first
            self = .waiting(reason: waiting)
        } else {
            self = .unknown
        }
    }

    var hasSandbox: Bool {
        if case .sandbox = self { return true }
        return false
    }
}

/// How one probe pod ended, for `cops_vigilante_snat_probe_sandboxes_total{result}`: a fixed set, so the label
/// cannot grow.
public enum ProbeOutcome: String, Sendable, CaseIterable {
    /// It got its sandbox with an IP.
    case created
    /// The scheduler could not place it.
    case unschedulable
    /// The kubelet reported that the sandbox could not be created (`FailedCreatePodSandBox`).
    case sandboxFailed = "sandbox_failed"
    /// Bound, but no sandbox within `tasks.snat.sandbox_timeout`.
    case timeout
}

/// Why a probe pod did not get its sandbox, in an operator's words: for the `SnatHealingUnverified` Event.
public struct ProbeMiss: Sendable, Equatable {
    public var outcome: ProbeOutcome
    public var detail: String

    public init(_ outcome: ProbeOutcome, _ detail: String) {
        self.outcome = outcome
        self.detail = detail
    }

    public var sentence: String {
        switch outcome {
        case .unschedulable: "it could not be scheduled: \(detail)"
        case .sandboxFailed: "its sandbox could not be created: \(detail)"
        case .timeout: "it got no sandbox in time (\(detail))"
        case .created: detail
        }
    }
}
