/// The calls this product makes to the Kubernetes API, and nothing else (README, "Kubernetes access").
///
/// The healing code is written against this protocol; `CurlKubernetesClient` implements it over HTTPS and tests
/// use an in-memory fake. Every call fails with a `KubernetesError` naming the call; 404 (`notFound`) and 409
/// (`alreadyExists`, `conflict`) are answers callers are expected to handle.
public protocol KubernetesAPI: Sendable {
    /// One page of nodes (`GET /api/v1/nodes?labelSelector=&limit=&continue=`); see `forEachNodePage` for all pages.
    func listNodes(_ options: NodeListOptions) async throws(KubernetesError) -> NodeList

    /// `GET /api/v1/nodes/{name}`.
    func getNode(named name: String) async throws(KubernetesError) -> Node

    /// A JSON merge patch (RFC 7386) of the node's annotations: a value sets the key, `nil` removes it, keys not
    /// named are left alone. Returns the node as stored afterwards.
    func mergePatchAnnotations(
        node name: String, _ annotations: [String: String?]
    ) async throws(KubernetesError)
        -> Node

    /// Removes one taint, safely against other writers of `spec.taints`: a JSON patch (RFC 6902) that tests that
    /// `spec.taints[index]` is still `taint` exactly as read, then removes it. When the list changed since it was
    /// read, the test fails, nothing changes, and the answer is 422 (`invalid`): read the node again and retry.
    /// Returns the node as stored afterwards.
    func removeTaint(_ taint: Taint, at index: Int, fromNode name: String) async throws(KubernetesError) -> Node

    /// `POST /api/v1/namespaces/{namespace}/pods`; returns the pod as created (with uid and defaults).
    func createPod(_ pod: Pod, namespace: String) async throws(KubernetesError) -> Pod

    /// `DELETE /api/v1/namespaces/{namespace}/pods/{name}?gracePeriodSeconds=0`: the pod goes at once. Returns the
    /// pod as it was deleted, with its last status (the API server answers a pod's DELETE with the object), or
    /// `nil` when the answer was a `Status`.
    @discardableResult
    func deletePod(named name: String, namespace: String) async throws(KubernetesError) -> Pod?

    /// Every pod of `namespace` matching `labelSelector` (`nil`: all), following `continue` tokens.
    func listPods(namespace: String, labelSelector: String?) async throws(KubernetesError) -> [Pod]

    /// Every pod bound to the node, in every namespace (`GET /api/v1/pods?fieldSelector=spec.nodeName=…`),
    /// following `continue` tokens.
    func listPods(onNode name: String) async throws(KubernetesError) -> [Pod]

    /// `POST /api/v1/namespaces/{namespace}/pods/{name}/eviction` (a policy/v1 Eviction): the API server deletes the
    /// pod if its PodDisruptionBudget allows, else answers 429 (`tooManyRequests`: try again later, never delete
    /// the pod directly). Not retried on 429 inside the client: the caller decides when to ask again.
    func evictPod(named name: String, namespace: String) async throws(KubernetesError)

    /// `GET /api/v1/namespaces/{namespace}/events?fieldSelector=…`: the core Events of `namespace` matching
    /// `fieldSelector` (e.g. `involvedObject.uid=…`), at most `limit` of them (one page: the caller wants a few).
    func listEvents(namespace: String, fieldSelector: String, limit: Int) async throws(KubernetesError) -> [CoreEvent]

    /// `POST /apis/events.k8s.io/v1/namespaces/{namespace}/events`, in the Event's namespace (`default` if unset).
    func createEvent(_ event: Event) async throws(KubernetesError) -> Event
}
