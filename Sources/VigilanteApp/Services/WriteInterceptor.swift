import Kubernetes

/// A `KubernetesAPI` that stands in front of another and changes only what writes do (leader-only writes, dry
/// run): every read goes to `api` unchanged, so each such wrapper states its writes and nothing else.
protocol WriteInterceptor: KubernetesAPI {
    var api: any KubernetesAPI { get }
}

extension WriteInterceptor {
    func listNodes(_ options: NodeListOptions) async throws(KubernetesError) -> NodeList {
        try await api.listNodes(options)
    }

    func getNode(named name: String) async throws(KubernetesError) -> Node {
        try await api.getNode(named: name)
    }

    func listPods(namespace: String, labelSelector: String?) async throws(KubernetesError) -> [Pod] {
        try await api.listPods(namespace: namespace, labelSelector: labelSelector)
    }

    func listPods(onNode name: String) async throws(KubernetesError) -> [Pod] {
        try await api.listPods(onNode: name)
    }

    func listEvents(namespace: String, fieldSelector: String, limit: Int) async throws(KubernetesError) -> [CoreEvent] {
        try await api.listEvents(namespace: namespace, fieldSelector: fieldSelector, limit: limit)
    }
}
