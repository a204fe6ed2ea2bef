public import Kubernetes

extension CurlKubernetesClient {
    /// The pod is created in `namespace`, whatever its `metadata.namespace` says (the API server would refuse a
    /// mismatch with 400).
    public func createPod(_ pod: Pod, namespace: String) async throws(KubernetesError) -> Pod {
        var pod = pod
        pod.metadata.namespace = namespace
        let request = TransportRequest(
            method: "POST", path: "/api/v1/namespaces/\(APIPath.escape(namespace))/pods", body: JSONBody.encode(pod),
            contentType: "application/json")
        return try await executor.execute(request, verb: .createPod) { body throws(JSONBodyError) in
            try JSONBody.decode(Pod.self, from: body)
        }
    }

    @discardableResult
    public func deletePod(named name: String, namespace: String) async throws(KubernetesError) -> Pod? {
        let path =
            "/api/v1/namespaces/\(APIPath.escape(namespace))/pods/\(APIPath.escape(name))"
            + APIPath.query(["gracePeriodSeconds": "0"])
        let (response, _) = try await executor.send(TransportRequest(method: "DELETE", path: path), verb: .deletePod)
        // The pod as deleted, with its last status; a Status (or anything else) says nothing about it.
        guard let pod = try? JSONBody.decode(Pod.self, from: response.body), pod.kind == "Pod" else { return nil }
        return pod
    }

    public func evictPod(named name: String, namespace: String) async throws(KubernetesError) {
        var request = TransportRequest(
            method: "POST",
            path: "/api/v1/namespaces/\(APIPath.escape(namespace))/pods/\(APIPath.escape(name))/eviction",
            body: JSONBody.encode(
                EvictionBody(
                    apiVersion: "policy/v1", kind: "Eviction", metadata: ObjectMeta(name: name, namespace: namespace))),
            contentType: "application/json")
        request.retriesTooManyRequests = false
        _ = try await executor.send(request, verb: .evictPod)
    }

    public func listPods(namespace: String, labelSelector: String?) async throws(KubernetesError) -> [Pod] {
        try await listPods(path: "/api/v1/namespaces/\(APIPath.escape(namespace))/pods", labelSelector: labelSelector)
    }

    public func listPods(onNode name: String) async throws(KubernetesError) -> [Pod] {
        try await listPods(path: "/api/v1/pods", fieldSelector: "spec.nodeName=\(name)", verb: .listNodePods)
    }

    /// Pages of 500, following `continue` tokens, within `PageGuard`'s bound.
    private func listPods(
        path: String, labelSelector: String? = nil, fieldSelector: String? = nil, verb: KubernetesVerb = .listPods
    ) async throws(KubernetesError) -> [Pod] {
        var pods: [Pod] = []
        var continueToken: String?
        var pages = PageGuard(pageSize: 500, call: KubernetesCall(verb: verb, method: "GET", path: path))
        repeat {
            let query = APIPath.query([
                "labelSelector": labelSelector, "fieldSelector": fieldSelector, "limit": "500",
                "continue": continueToken,
            ])
            let request = TransportRequest(method: "GET", path: path + query)
            let page = try await executor.execute(request, verb: verb) { body throws(JSONBodyError) in
                try JSONBody.decode(PodList.self, from: body)
            }
            try pages.record(continueToken: page.continueToken)
            pods.append(contentsOf: page.items)
            continueToken = page.continueToken
        } while !(continueToken ?? "").isEmpty
        return pods
    }
}

/// A policy/v1 Eviction: which pod, nothing else.
private struct EvictionBody: Encodable {
    var apiVersion: String
    var kind: String
    var metadata: ObjectMeta
}
