/// A `core/v1` Pod, only as far as a probe pod is created and listed: metadata, the spec fields a probe pod
/// sets, and `status.phase`. Unknown fields of an answer are ignored when decoding.
public struct Pod: Codable, Sendable, Equatable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec?, status: PodStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = "Pod"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public var name: String { metadata.name ?? "" }
}

/// `status` of a Pod: what the scheduler and the kubelet report, as far as a probe pod's sandbox is concerned.
public struct PodStatus: Codable, Sendable, Equatable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    /// The sandbox's IP: set once CNI ADD has run on the node (the sandbox got its network).
    public var podIP: String?
    public var conditions: [PodCondition]?
    public var containerStatuses: [ContainerStatus]?

    public init(
        phase: String? = nil, podIP: String? = nil, conditions: [PodCondition]? = nil,
        containerStatuses: [ContainerStatus]? = nil
    ) {
        self.phase = phase
        self.podIP = podIP
        self.conditions = conditions
        self.containerStatuses = containerStatuses
    }

    /// The condition of `type` (`PodScheduled`, `PodReadyToStartContainers`, `Ready`, …), if reported.
    public func condition(_ type: String) -> PodCondition? {
        conditions?.first { $0.type == type }
    }
}

/// One entry of `status.conditions`.
public struct PodCondition: Codable, Sendable, Equatable {
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    /// CamelCase, e.g. `Unschedulable`.
    public var reason: String?
    /// For an unschedulable pod, the scheduler's sentence (`0/5 nodes are available: …`).
    public var message: String?
    public var lastTransitionTime: String?

    public init(
        type: String, status: String, reason: String? = nil, message: String? = nil, lastTransitionTime: String? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

/// One entry of `status.containerStatuses`: the container's name and its state.
public struct ContainerStatus: Codable, Sendable, Equatable {
    public var name: String
    public var state: ContainerState?

    public init(name: String, state: ContainerState? = nil) {
        self.name = name
        self.state = state
    }
}

/// A container's state: exactly one of the three is set.
public struct ContainerState: Codable, Sendable, Equatable {
    public var waiting: Waiting?
    public var running: Running?
    public var terminated: Terminated?

    public init(waiting: Waiting? = nil, running: Running? = nil, terminated: Terminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }

    /// Not started yet: `ContainerCreating`, `ErrImagePull`, `ImagePullBackOff`, …
    public struct Waiting: Codable, Sendable, Equatable {
        public var reason: String?
        public var message: String?

        public init(reason: String? = nil, message: String? = nil) {
            self.reason = reason
            self.message = message
        }
    }

    public struct Running: Codable, Sendable, Equatable {
        public var startedAt: String?

        public init(startedAt: String? = nil) {
            self.startedAt = startedAt
        }
    }

    public struct Terminated: Codable, Sendable, Equatable {
        public var reason: String?
        public var exitCode: Int?

        public init(reason: String? = nil, exitCode: Int? = nil) {
            self.reason = reason
            self.exitCode = exitCode
        }
    }
}
