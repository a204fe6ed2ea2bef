/// The calls leader election makes, apart from `KubernetesAPI` so that the elector can use a client of its own
/// (its renewals must not wait behind healing's requests in one rate limiter).
public protocol LeaseAPI: Sendable {
    /// `GET /apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}`.
    func getLease(named name: String, namespace: String) async throws(KubernetesError) -> Lease

    /// `POST …/leases`: 409 `alreadyExists` when another candidate created it first.
    func createLease(_ lease: Lease) async throws(KubernetesError) -> Lease

    /// `PUT …/leases/{name}` with the `metadata.resourceVersion` last read: 409 `conflict` when the Lease changed
    /// since, and then the caller reads it again, never overwrites it.
    func updateLease(_ lease: Lease) async throws(KubernetesError) -> Lease
}
