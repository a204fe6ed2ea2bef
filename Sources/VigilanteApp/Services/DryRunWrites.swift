import Foundation
import Kubernetes
import Logging
import Prometheus

/// The Kubernetes API with `dry_run: true`: reads pass, and every write is logged (verb, object, what it would
/// have written) and counted in `cops_vigilante_dry_run_writes_total{verb}` instead of being sent. Each write
/// answers as the API server would have, so healing goes on as if it had happened: a probe pod "created" this way
/// is missing at the next look and made again, so the log shows every round a real run would make.
struct DryRunWrites: WriteInterceptor {
    let api: any KubernetesAPI
    let logger: Logger
    let counters: [KubernetesVerb: Counter]

    init(api: any KubernetesAPI, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.api = api
        self.logger = logger
        var counters: [KubernetesVerb: Counter] = [:]
        for verb in [KubernetesVerb.patchNode, .createPod, .deletePod, .createEvent, .evictPod] {
            counters[verb] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "cops_vigilante_dry_run_writes_total", unitName: "",
                    helpText: "Writes to the Kubernetes API that dry_run logged instead of sending, by verb."),
                labels: [("verb", verb.rawValue)])
        }
        self.counters = counters
    }

    private func wouldWrite(_ verb: KubernetesVerb, _ object: String, _ summary: String) {
        counters[verb]?.increment()
        logger.notice(
            "Dry run: not written",
            metadata: ["verb": "\(verb.rawValue)", "object": "\(object)", "would_write": "\(summary)"])
    }

    /// The node as it is, with the annotations it would have had.
    func mergePatchAnnotations(
        node name: String, _ annotations: [String: String?]
    ) async throws(KubernetesError) -> Node {
        let summary = annotations.keys.sorted().map { key in "\(key)=\(annotations[key]!.map { "\"\($0)\"" } ?? "null")"
        }
        wouldWrite(.patchNode, "nodes/\(name)", summary.joined(separator: ", "))
        var node = try await api.getNode(named: name)
        var merged = node.metadata.annotations ?? [:]
        for (key, value) in annotations { merged[key] = value }
        node.metadata.annotations = merged
        return node
    }

    /// The node as it is, without the taint.
    func removeTaint(_ taint: Taint, at index: Int, fromNode name: String) async throws(KubernetesError) -> Node {
        wouldWrite(.patchNode, "nodes/\(name)", "remove taint \(taint) (spec.taints[\(index)])")
        var node = try await api.getNode(named: name)
        node.spec?.taints?.removeAll { $0.matches(taint) }
        return node
    }

    func createPod(_ pod: Pod, namespace: String) async throws(KubernetesError) -> Pod {
        let node = pod.spec?.nodeSelector?[Node.hostnameLabel] ?? "?"
        wouldWrite(
            .createPod, "\(namespace)/pods/\(pod.name)",
            "probe pod for node \(node), image \(pod.spec?.containers.first?.image ?? "?")")
        var created = pod
        created.metadata.namespace = namespace
        created.metadata.uid = "dry-run-\(UUID().uuidString.lowercased())"
        return created
    }

    func deletePod(named name: String, namespace: String) async throws(KubernetesError) -> Pod? {
        wouldWrite(.deletePod, "\(namespace)/pods/\(name)", "delete, grace period 0")
        return nil
    }

    func evictPod(named name: String, namespace: String) async throws(KubernetesError) {
        wouldWrite(.evictPod, "\(namespace)/pods/\(name)", "eviction (policy/v1)")
    }

    func createEvent(_ event: Event) async throws(KubernetesError) -> Event {
        wouldWrite(
            .createEvent, "events about \(event.regarding.kind ?? "?")/\(event.regarding.name ?? "?")",
            "\(event.type.rawValue) \(event.reason): \(event.note ?? "")")
        return event
    }
}
