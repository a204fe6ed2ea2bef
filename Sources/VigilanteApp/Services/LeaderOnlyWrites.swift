import Kubernetes
import LeaderElection

/// The Kubernetes API as the healing scheduler sees it with leader election on: reads pass, writes (probe pods,
/// node annotations, Events) go out only while this replica's term as the leader lasts. The term is checked on
/// the clock before each write, so a leader that can no longer renew stops writing at the end of its term even if
/// its scheduler has not yet been stopped; a refused write ends like a cancelled one.
struct LeaderOnlyWrites: WriteInterceptor {
    let api: any KubernetesAPI
    let leadership: Leadership

    private func requireLeadership(_ verb: KubernetesVerb, _ method: String, _ path: String) throws(KubernetesError) {
        guard leadership.isLeading else {
            throw .cancelled(KubernetesCall(verb: verb, method: method, path: path, attempts: 0))
        }
    }

    func mergePatchAnnotations(
        node name: String, _ annotations: [String: String?]
    ) async throws(KubernetesError) -> Node {
        try requireLeadership(.patchNode, "PATCH", "/api/v1/nodes/\(name)")
        return try await api.mergePatchAnnotations(node: name, annotations)
    }

    func removeTaint(_ taint: Taint, at index: Int, fromNode name: String) async throws(KubernetesError) -> Node {
        try requireLeadership(.patchNode, "PATCH", "/api/v1/nodes/\(name)")
        return try await api.removeTaint(taint, at: index, fromNode: name)
    }

    func createPod(_ pod: Pod, namespace: String) async throws(KubernetesError) -> Pod {
        try requireLeadership(.createPod, "POST", "/api/v1/namespaces/\(namespace)/pods")
        return try await api.createPod(pod, namespace: namespace)
    }

    func deletePod(named name: String, namespace: String) async throws(KubernetesError) -> Pod? {
        try requireLeadership(.deletePod, "DELETE", "/api/v1/namespaces/\(namespace)/pods/\(name)")
        return try await api.deletePod(named: name, namespace: namespace)
    }

    func evictPod(named name: String, namespace: String) async throws(KubernetesError) {
        try requireLeadership(.evictPod, "POST", "/api/v1/namespaces/\(namespace)/pods/\(name)/eviction")
        try await api.evictPod(named: name, namespace: namespace)
    }

    func createEvent(_ event: Event) async throws(KubernetesError) -> Event {
        try requireLeadership(.createEvent, "POST", "/apis/events.k8s.io/v1/namespaces/default/events")
        return try await api.createEvent(event)
    }
}
