import Healing
public import Kubernetes

/// An in-memory cluster that answers as the API server would: nodes, pods (a deleted pod can linger as
/// terminating, so creating its name again answers 409), events. Tests check the cluster afterwards — effects,
/// not calls — and can make the next calls of a verb fail or hang.
///
/// A probe pod's fate on its node (`PodFate`, the scheduler's and the kubelet's part) is set per node; by default
/// it is bound and gets its sandbox's IP at once.
public actor FakeKubernetesAPI: KubernetesAPI {
    /// What becomes of a probe pod created for a node.
    public enum PodFate: Sendable {
        /// Bound, and its sandbox gets an IP at once.
        case sandbox
        /// Bound, its sandbox not there yet: `giveSandbox(toPodOf:)` gives it the IP later.
        case pending
        /// Not bound: the scheduler's message (an untolerated taint, a cordoned node).
        case unschedulable(String)
        /// Bound, but the sandbox cannot be created: no IP, and a `FailedCreatePodSandBox` Event with the message.
        case sandboxFails(String)
        /// Bound, the sandbox and its IP exist, the container cannot pull its image (CNI ADD did run).
        case imagePullFails
    }

    public private(set) var nodes: [String: Node] = [:]
    /// Pods by "namespace/name".
    public private(set) var pods: [String: Pod] = [:]
    public private(set) var events: [Event] = []
    /// Pods created, by name, in order (every creation, not only the live ones).
    public private(set) var createdPods: [String] = []
    public private(set) var deletedPods: [String] = []
    /// `namespace/name` of each pod evicted, in order.
    public private(set) var evictedPods: [String] = []
    /// Every call, by verb.
    public private(set) var calls: [KubernetesVerb: Int] = [:]
    /// Every node list's options, in order.
    public private(set) var nodeListOptions: [NodeListOptions] = []
    /// The label selector of every node list that had one, in order.
    public var nodeListSelectors: [String] { nodeListOptions.compactMap(\.labelSelector) }
    /// The nodes the API server's watch cache holds, when it lags behind (`lagWatchCache()`); `nil`: it is current.
    private var watchCache: [String: Node]?
    /// The list revision: one more at each change of `nodes` made through the test controls.
    private var revision = 1000
    /// When set, a deleted pod stays terminating until `finishTerminating()`.
    private var deletedPodsLinger = false
    private var terminating: Set<String> = []
    private var failures: [KubernetesVerb: [KubernetesError]] = [:]
    private var hangingNodes: Set<String> = []
    private var continueTokensToExpire = 0
    private var fates: [String: PodFate] = [:]
    /// Core Events the kubelet and the scheduler wrote, by the uid of the pod they are about.
    private var podEvents: [String: [CoreEvent]] = [:]
    private var nextUID = 0

    public init(nodes: [Node] = []) {
        for node in nodes { self.nodes[node.name] = node }
    }

    // MARK: Test controls

    public func put(_ node: Node) {
        nodes[node.name] = node
        revision += 1
    }
    public func remove(node name: String) {
        nodes[name] = nil
        revision += 1
    }

    /// From now on, lists that may be served from the watch cache (a `resourceVersion` given) read the nodes as they
    /// are now, until `catchUpWatchCache()`: the staleness the API server allows them.
    public func lagWatchCache() { watchCache = nodes }
    public func catchUpWatchCache() { watchCache = nil }
    public func setDeletedPodsLinger(_ linger: Bool) { deletedPodsLinger = linger }
    public func finishTerminating() {
        for key in terminating { pods[key] = nil }
        terminating = []
    }

    /// The next `count` calls of `verb` fail with `error`.
    public func fail(_ verb: KubernetesVerb, with error: KubernetesError, count: Int = 1) {
        failures[verb, default: []] += Array(repeating: error, count: count)
    }

    /// The next `count` node lists that carry a `continue` token answer 410 `Expired`, as the API server does once
    /// the snapshot the token points into has been compacted away.
    public func expireContinueTokens(count: Int = 1) { continueTokensToExpire += count }

    /// What becomes of the probe pods created for `node` from now on.
    public func setPodFate(_ fate: PodFate, onNode node: String) { fates[node] = fate }

    /// The probe pod of `node`, waiting for its sandbox (`.pending`), gets it now.
    public func giveSandbox(toPodOf node: String) {
        for (key, pod) in pods where pod.metadata.annotations?[SnatNames.probeNodeAnnotation] == node {
            pods[key]?.status = Self.status(for: .sandbox, uid: pod.metadata.uid ?? "")
        }
    }

    /// Every call about `node` (its annotations, its probe pod) hangs until the calling task is cancelled.
    public func hang(node: String) { hangingNodes.insert(node) }

    public func callCount(_ verb: KubernetesVerb) -> Int { calls[verb] ?? 0 }
    public func pod(named name: String, namespace: String = "kube-system") -> Pod? { pods["\(namespace)/\(name)"] }

    // MARK: KubernetesAPI

    public func listNodes(_ options: NodeListOptions) async throws(KubernetesError) -> NodeList {
        nodeListOptions.append(options)
        try record(.listNodes)
        if options.continueToken != nil, continueTokensToExpire > 0 {
            continueTokensToExpire -= 1
            throw .expired(call(.listNodes, "continue"), message: "The provided continue parameter is too old")
        }
        // As the API server's: nodes in key (name) order, and a continue token that says after which key to go on.
        let selector = FakeLabelSelector(options.labelSelector)
        let cached = options.resourceVersion != nil ? watchCache : nil
        let remaining = (cached ?? nodes).values.sorted { $0.name < $1.name }.filter {
            $0.name > (options.continueToken ?? "") && selector.matches($0.metadata.labels)
        }
        // resourceVersion=0 is served whole from the watch cache, whatever the limit.
        let limit = options.resourceVersion == "0" ? nil : options.limit
        let page = Array(remaining.prefix(limit ?? remaining.count))
        return NodeList(
            items: page, continueToken: page.count < remaining.count ? page.last?.name : nil,
            resourceVersion: "\(revision)")
    }

    public func getNode(named name: String) async throws(KubernetesError) -> Node {
        try record(.getNode)
        guard let node = nodes[name] else {
            throw .notFound(call(.getNode, name), message: "nodes \"\(name)\" not found")
        }
        return node
    }

    public func mergePatchAnnotations(
        node name: String, _ annotations: [String: String?]
    ) async throws(KubernetesError)
        -> Node
    {
        try record(.patchNode)
        try await hangIfAsked(name)
        guard var node = nodes[name] else {
            throw .notFound(call(.patchNode, name), message: "nodes \"\(name)\" not found")
        }
        var current = node.metadata.annotations ?? [:]
        for (key, value) in annotations { current[key] = value }
        node.metadata.annotations = current
        nodes[name] = node
        return node
    }

    public func removeTaint(_ taint: Taint, at index: Int, fromNode name: String) async throws(KubernetesError) -> Node
    {
        try record(.patchNode)
        guard var node = nodes[name] else {
            throw .notFound(call(.patchNode, name), message: "nodes \"\(name)\" not found")
        }
        var taints = node.taints
        guard taints.indices.contains(index), taints[index] == taint else {
            throw .invalid(call(.patchNode, name), message: "testing value /spec/taints/\(index) failed")
        }
        taints.remove(at: index)
        node.spec = Node.Spec(taints: taints.isEmpty ? nil : taints)
        nodes[name] = node
        return node
    }

    public func createPod(_ pod: Pod, namespace: String) async throws(KubernetesError) -> Pod {
        try record(.createPod)
        try await hangIfAsked(pod.metadata.annotations?[SnatNames.probeNodeAnnotation] ?? "")
        let key = "\(namespace)/\(pod.name)"
        guard pods[key] == nil else {
            throw .alreadyExists(call(.createPod, pod.name), message: "pods \"\(pod.name)\" already exists")
        }
        var created = pod
        created.metadata.namespace = namespace
        nextUID += 1
        let uid = "pod-uid-\(nextUID)"
        created.metadata.uid = uid
        let fate = fates[pod.metadata.annotations?[SnatNames.probeNodeAnnotation] ?? ""] ?? .sandbox
        created.status = Self.status(for: fate, uid: uid)
        if case .sandboxFails(let message) = fate {
            podEvents[uid] = [CoreEvent(reason: "FailedCreatePodSandBox", message: message, type: "Warning", count: 1)]
        }
        pods[key] = created
        createdPods.append(pod.name)
        return created
    }

    @discardableResult
    public func deletePod(named name: String, namespace: String) async throws(KubernetesError) -> Pod? {
        try record(.deletePod)
        let key = "\(namespace)/\(name)"
        try await hangIfAsked(pods[key]?.metadata.annotations?[SnatNames.probeNodeAnnotation] ?? "")
        guard var pod = pods[key], !terminating.contains(key) else {
            throw .notFound(call(.deletePod, name), message: "pods \"\(name)\" not found")
        }
        deletedPods.append(name)
        if deletedPodsLinger {
            pod.metadata.deletionTimestamp = "2026-01-01T00:00:00Z"
            pods[key] = pod
            terminating.insert(key)
        } else {
            pods[key] = nil
        }
        return pod
    }

    public func listPods(namespace: String, labelSelector: String?) async throws(KubernetesError) -> [Pod] {
        try record(.listPods)
        let selector = FakeLabelSelector(labelSelector)
        return pods.filter { key, pod in key.hasPrefix("\(namespace)/") && selector.matches(pod.metadata.labels) }
            .values.sorted { $0.name < $1.name }
    }

    /// Understands `involvedObject.uid=<uid>`, the selector vigilante uses.
    /// Pods bound to the node: the probe pods placed there, and the workload pods a test put there.
    public func listPods(onNode name: String) async throws(KubernetesError) -> [Pod] {
        try record(.listNodePods)
        return pods.values.filter { $0.spec?.nodeName == name || $0.spec?.nodeSelector?[Node.hostnameLabel] == name }
            .sorted { $0.name < $1.name }
    }

    /// Puts a workload pod (bound to `spec.nodeName`) as a test needs it.
    public func put(pod: Pod) {
        pods["\(pod.metadata.namespace ?? "default")/\(pod.name)"] = pod
    }

    /// Deletes the pod, unless `fail(.evictPod, …)` scripted a 429 (a PodDisruptionBudget that allows nothing).
    public func evictPod(named name: String, namespace: String) async throws(KubernetesError) {
        try record(.evictPod)
        guard pods.removeValue(forKey: "\(namespace)/\(name)") != nil else {
            throw .notFound(call(.evictPod, name), message: "pods \"\(name)\" not found")
        }
        evictedPods.append("\(namespace)/\(name)")
    }

    public func listEvents(
        namespace: String, fieldSelector: String, limit: Int
    ) async throws(KubernetesError) -> [CoreEvent] {
        try record(.listEvents)
        guard fieldSelector.hasPrefix("involvedObject.uid=") else { return [] }
        return Array((podEvents[String(fieldSelector.dropFirst("involvedObject.uid=".count))] ?? []).prefix(limit))
    }

    public func createEvent(_ event: Event) async throws(KubernetesError) -> Event {
        try record(.createEvent)
        events.append(event)
        return event
    }

    // MARK: Helpers

    /// The status the scheduler and the kubelet give a pod whose fate is `fate`.
    static func status(for fate: PodFate, uid: String) -> PodStatus {
        let scheduled = PodCondition(type: "PodScheduled", status: "True")
        let creating = ContainerStatus(
            name: "pause-container", state: ContainerState(waiting: .init(reason: "ContainerCreating")))
        let serial = uid.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF
        let ip = "10.244.\(serial / 250 % 250).\(serial % 250 + 1)"
        switch fate {
        case .sandbox:
            return PodStatus(
                phase: "Running", podIP: ip,
                conditions: [scheduled, PodCondition(type: "PodReadyToStartContainers", status: "True")],
                containerStatuses: [ContainerStatus(name: "pause-container", state: ContainerState(running: .init()))])
        case .pending, .sandboxFails:
            return PodStatus(
                phase: "Pending",
                conditions: [scheduled, PodCondition(type: "PodReadyToStartContainers", status: "False")],
                containerStatuses: [creating])
        case .unschedulable(let message):
            return PodStatus(
                phase: "Pending",
                conditions: [
                    PodCondition(type: "PodScheduled", status: "False", reason: "Unschedulable", message: message)
                ])
        case .imagePullFails:
            return PodStatus(
                phase: "Pending", podIP: ip,
                conditions: [scheduled, PodCondition(type: "PodReadyToStartContainers", status: "True")],
                containerStatuses: [
                    ContainerStatus(
                        name: "pause-container",
                        state: ContainerState(waiting: .init(reason: "ImagePullBackOff", message: "Back-off pulling")))
                ])
        }
    }

    private func record(_ verb: KubernetesVerb) throws(KubernetesError) {
        calls[verb, default: 0] += 1
        if var queued = failures[verb], !queued.isEmpty {
            let error = queued.removeFirst()
            failures[verb] = queued
            throw error
        }
    }

    private func hangIfAsked(_ node: String) async throws(KubernetesError) {
        guard hangingNodes.contains(node) else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        throw .cancelled(call(.createPod, node))
    }

    private func call(_ verb: KubernetesVerb, _ name: String) -> KubernetesCall {
        KubernetesCall(verb: verb, method: "GET", path: "/fake/\(name)")
    }
}
