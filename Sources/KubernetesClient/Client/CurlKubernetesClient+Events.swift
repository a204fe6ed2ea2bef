public import Kubernetes

extension CurlKubernetesClient {
    public func listEvents(
        namespace: String, fieldSelector: String, limit: Int
    ) async throws(KubernetesError) -> [CoreEvent] {
        let query = APIPath.query(["fieldSelector": fieldSelector, "limit": "\(max(1, limit))"])
        let request = TransportRequest(
            method: "GET", path: "/api/v1/namespaces/\(APIPath.escape(namespace))/events" + query)
        return try await executor.execute(request, verb: .listEvents) { body throws(JSONBodyError) in
            try JSONBody.decode(CoreEventList.self, from: body).items
        }
    }

    public func createEvent(_ event: Event) async throws(KubernetesError) -> Event {
        let namespace = event.metadata.namespace ?? "default"
        let request = TransportRequest(
            method: "POST", path: "/apis/events.k8s.io/v1/namespaces/\(APIPath.escape(namespace))/events",
            body: JSONBody.encode(event), contentType: "application/json")
        return try await executor.execute(request, verb: .createEvent) { body throws(JSONBodyError) in
            try JSONBody.decode(Event.self, from: body)
        }
    }
}
