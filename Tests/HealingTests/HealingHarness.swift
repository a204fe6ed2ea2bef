import Foundation
import Healing
import Kubernetes
import Logging
import Prometheus
import TestSupport

/// Nodes named by what they are, as the Go original's tests did.
enum TestNodes {
    static func windows(
        _ name: String, ready: Bool = true, healed: String? = nil, startedAt: String? = nil, hostname: String? = nil,
        os: String = "windows"
    ) -> Node {
        var annotations: [String: String] = [:]
        annotations[SnatNames.healedAnnotation] = healed
        annotations[SnatNames.healingStartedAtAnnotation] = startedAt
        return Node(
            metadata: ObjectMeta(
                name: name, uid: "uid-\(name)",
                labels: [Node.osLabel: os, Node.hostnameLabel: hostname ?? name],
                annotations: annotations.isEmpty ? nil : annotations),
            status: .init(conditions: [.init(type: "Ready", status: ready ? "True" : "False")]))
    }

    static func linux(_ name: String) -> Node {
        Node(
            metadata: ObjectMeta(name: name, labels: [Node.osLabel: "linux"]),
            status: .init(conditions: [.init(type: "Ready", status: "True")]))
    }
}

/// A scheduler over an in-memory cluster and a clock moved by hand: 30 s rounds, a 2-minute window.
struct HealingHarness {
    let api: FakeKubernetesAPI
    let clock = TestClock()
    let registry = PrometheusCollectorRegistry()
    let metrics: HealingMetrics
    let scheduler: HealingScheduler
    static let interval: Duration = .seconds(30)
    static let window: Duration = .seconds(120)

    init(
        nodes: [Node], errorThreshold: Int = 10, maxConcurrentSteps: Int = 8,
        configure: (inout HealingConfiguration) -> Void = { _ in }
    ) {
        api = FakeKubernetesAPI(nodes: nodes)
        metrics = HealingMetrics(registry: registry)
        var configuration = HealingConfiguration(
            interval: Self.interval, window: Self.window, errorThreshold: errorThreshold, resyncInterval: .seconds(300),
            probePod: ProbePod(
                image: "mcr.microsoft.com/oss/kubernetes/pause:3.6", namespace: "kube-system", tolerations: []),
            reportingInstance: "vigilante-test")
        configuration.maxConcurrentSteps = maxConcurrentSteps
        configure(&configuration)
        scheduler = HealingScheduler(
            api: api, clock: clock, configuration: configuration, metrics: metrics, logger: Logger(label: "test"))
    }

    /// The scheduler's passes at the clock's current time, each with every step it starts finished, until a pass
    /// starts none: as the loop runs again when its steps finish.
    func round() async {
        for _ in 0..<10 {
            let started = await scheduler.runOnce()
            await scheduler.waitForSteps()
            if started == 0 { return }
        }
    }

    /// Moves the clock and runs a pass.
    func advance(_ seconds: TimeInterval) async {
        clock.advance(by: seconds)
        await round()
    }

    /// Runs rounds 30 s apart until `name` is healed (at most 20).
    func advanceUntilHealed(_ name: String) async {
        for _ in 0..<20 where await phase(name) != .healed {
            await advance(30)
        }
    }

    func node(_ name: String) async -> Node? { await api.nodes[name] }

    /// What the API server does around a webhook callback for `node`: it stores the change, and the webhook's hint
    /// reaches the scheduler, which reads the node back.
    func callback(_ node: Node) async {
        await api.put(node)
        scheduler.enqueue(NodeHint(name: node.name, change: .updated(previousResourceVersion: nil)))
    }

    /// The same for a node's deletion.
    func deletionCallback(_ name: String) async {
        await api.remove(node: name)
        scheduler.enqueue(NodeHint(name: name, change: .deleted))
    }

    func probePod(_ node: String) async -> Pod? { await api.pod(named: ProbePod.name(for: node)) }

    func annotation(_ node: String, _ key: String) async -> String? { await api.nodes[node]?.annotation(key) }

    func phase(_ node: String) async -> HealingPhase? { await scheduler.phase(of: node) }

    /// The node's Events with `reason`, once every Event task of the rounds so far is done.
    func events(_ reason: String) async -> [Event] {
        await scheduler.waitForSteps()
        return await api.events.filter { $0.reason == reason }
    }
}
