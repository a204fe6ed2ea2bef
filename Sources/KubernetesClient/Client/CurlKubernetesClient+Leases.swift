public import Kubernetes

extension CurlKubernetesClient: LeaseAPI {
    public func getLease(named name: String, namespace: String) async throws(KubernetesError) -> Lease {
        let request = TransportRequest(method: "GET", path: Self.leasePath(namespace, name))
        return try await executor.execute(request, verb: .getLease) { body throws(JSONBodyError) in
            try JSONBody.decode(Lease.self, from: body)
        }
    }

    public func createLease(_ lease: Lease) async throws(KubernetesError) -> Lease {
        let request = TransportRequest(
            method: "POST", path: Self.leasePath(lease.metadata.namespace ?? "default", nil),
            body: JSONBody.encode(lease), contentType: "application/json")
        return try await executor.execute(request, verb: .createLease) { body throws(JSONBodyError) in
            try JSONBody.decode(Lease.self, from: body)
        }
    }

    public func updateLease(_ lease: Lease) async throws(KubernetesError) -> Lease {
        let request = TransportRequest(
            method: "PUT", path: Self.leasePath(lease.metadata.namespace ?? "default", lease.metadata.name ?? ""),
            body: JSONBody.encode(lease), contentType: "application/json")
        return try await executor.execute(request, verb: .updateLease) { body throws(JSONBodyError) in
            try JSONBody.decode(Lease.self, from: body)
        }
    }

    private static func leasePath(_ namespace: String, _ name: String?) -> String {
        let collection = "/apis/coordination.k8s.io/v1/namespaces/\(APIPath.escape(namespace))/leases"
        return name.map { collection + "/" + APIPath.escape($0) } ?? collection
    }
}
