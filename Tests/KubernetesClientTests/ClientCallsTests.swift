import Foundation
import Kubernetes
import KubernetesClient
import Testing

/// Each call of `KubernetesAPI` against the fake API server over verified HTTPS, checked on the cluster's state
/// and on the request log (what was sent), not on what the client says about itself.
@Suite(.serialized) struct ClientCallsTests {
    static let windowsSelector = "kubernetes.io/os=windows"

    @Test func listNodes_withLabelSelector_returnsOnlyMatchingNodes() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "3", "--generate-windows", "2"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let page = try await client.listNodes(NodeListOptions(labelSelector: Self.windowsSelector))

        #expect(page.items.count == 2)
        #expect(page.items.allSatisfy { $0.isWindows })
        #expect(!page.hasMore)
        let logged = try #require(try fake.requests().last)
        #expect(logged.path == "/api/v1/nodes?labelSelector=kubernetes.io%2Fos%3Dwindows")
        #expect(logged.userAgent == "cops-vigilante/\(TestClients.version)")
        #expect(logged.accept == "application/json")
        #expect(logged.authMethod == "token")
    }

    @Test func getNode_returnsNameLabelsAnnotationsAndConditions() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let node = try await client.getNode(named: "akswin000000")

        #expect(node.name == "akswin000000")
        #expect(node.isWindows)
        #expect(node.isReady)
        #expect(node.metadata.uid?.isEmpty == false)
        #expect(node.label(Node.hostnameLabel) == "akswin000000")
    }

    @Test func getNode_ofAMissingNode_isNotFound() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let error = await caught { () async throws(KubernetesError) in try await client.getNode(named: "no-such-node") }

        #expect(error?.caseName == "notFound")
        #expect(error?.call.verb == .getNode)
        #expect(error?.call.path == "/api/v1/nodes/no-such-node")
        #expect(error?.description.contains(#"nodes "no-such-node" not found"#) == true)
    }

    @Test func mergePatchAnnotations_setsValues_andNilRemovesTheKey() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        _ = try await client.mergePatchAnnotations(node: "akswin000000", ["example.com/a": "1", "example.com/b": "2"])
        let node = try await client.mergePatchAnnotations(node: "akswin000000", ["example.com/a": nil])

        #expect(node.annotation("example.com/a") == nil)
        #expect(node.annotation("example.com/b") == "2")
        let stored = try await client.getNode(named: "akswin000000")
        #expect(stored.annotation("example.com/a") == nil)
        #expect(stored.annotation("example.com/b") == "2")
        let patch = try #require(
            try fake.requests().first { $0.method == "PATCH" && $0.body?.contains("null") == true })
        #expect(patch.contentType == "application/merge-patch+json")
        #expect(patch.body == #"{"metadata":{"annotations":{"example.com/a":null}}}"#)
    }

    @Test func createListDeletePod_roundTrip() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let pod = Self.probePod(name: "cops-vigilante-snat-healer-akswin000000", node: "akswin000000")

        let created = try await client.createPod(pod, namespace: "kube-system")
        let listed = try await client.listPods(
            namespace: "kube-system", labelSelector: "app.kubernetes.io/managed-by=cops-vigilante")
        let deleted = try await client.deletePod(named: pod.name, namespace: "kube-system")
        let afterDelete = try await client.listPods(
            namespace: "kube-system", labelSelector: "app.kubernetes.io/managed-by=cops-vigilante")

        #expect(created.metadata.uid?.isEmpty == false)
        #expect(created.metadata.namespace == "kube-system")
        #expect(created.spec?.terminationGracePeriodSeconds == 0)
        #expect(created.spec?.nodeSelector?["kubernetes.io/hostname"] == "akswin000000")
        #expect(created.spec?.containers.first?.resources?.requests?["cpu"] == "10m")
        #expect(listed.map(\.name) == [pod.name])
        #expect(
            listed.first?.spec?.tolerations?.contains(
                Toleration(key: "os", operator: .equal, value: "windows", effect: .noSchedule)) == true)
        #expect(afterDelete.isEmpty)
        // The DELETE answer is the pod as it was, with its last status: here bound, its sandbox with an IP.
        #expect(deleted?.metadata.uid == created.metadata.uid)
        #expect(deleted?.status?.podIP?.isEmpty == false)
        #expect(deleted?.status?.condition("PodScheduled")?.status == "True")
        let delete = try #require(try fake.requests().first { $0.method == "DELETE" })
        #expect(delete.path == "/api/v1/namespaces/kube-system/pods/\(pod.name)?gracePeriodSeconds=0")
    }

    @Test func deletePod_ofAMissingPod_isNotFound() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let error = await caught { () async throws(KubernetesError) in
            try await client.deletePod(named: "gone", namespace: "kube-system")
        }

        #expect(error?.caseName == "notFound")
        #expect(error?.call.verb == .deletePod)
    }

    @Test func createEvent_aboutANode_isStoredWithMicrosecondTime() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let node = try await client.getNode(named: "akswin000000")
        let time = MicroTime(microsecondsSince1970: 1_714_566_600_123_456)
        let event = Event.about(
            node: node, reason: "SnatHealingStarted", note: "Healing window started", type: .normal, action: "Heal",
            reportingInstance: "vigilante-0", at: time)

        let created = try await client.createEvent(event)

        #expect(created.reason == "SnatHealingStarted")
        #expect(created.regarding.uid == node.metadata.uid)
        #expect(created.eventTime == time)
        let post = try #require(try fake.requests().first { $0.method == "POST" })
        #expect(post.path == "/apis/events.k8s.io/v1/namespaces/default/events")
        #expect(post.body?.contains(#""eventTime":"2024-05-01T12:30:00.123456Z""#) == true)
        let events = try #require(try fake.state()["events"] as? [[String: Any]])
        #expect(events.count == 1)
    }

    @Test func listEvents_ofOnePod_byFieldSelector() async throws {
        let fake = try await FakeAPIServer.start()
        let uid = "8f1e0c3a-0000-4000-8000-000000000001"
        for (name, about, reason) in [("e1", uid, "FailedCreatePodSandBox"), ("e2", "other-uid", "Scheduled")] {
            let event: [String: Any] = [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": name, "namespace": "kube-system"],
                "involvedObject": ["kind": "Pod", "namespace": "kube-system", "name": "p", "uid": about],
                "reason": reason, "message": "Failed to create pod sandbox: plugin type=\"azure-vnet\" failed",
                "type": "Warning", "count": 2,
            ]
            let json = String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            _ = try fake.admin("POST", "objects", json: json)
        }
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let events = try await client.listEvents(
            namespace: "kube-system", fieldSelector: "involvedObject.uid=\(uid)", limit: 10)

        #expect(events.map(\.reason) == ["FailedCreatePodSandBox"])
        #expect(events.first?.message?.contains("azure-vnet") == true)
        #expect(events.first?.count == 2)
        let list = try #require(try fake.requests().first { $0.method == "GET" && $0.path.contains("/events") })
        #expect(list.path.hasPrefix("/api/v1/namespaces/kube-system/events?fieldSelector=involvedObject.uid"))
        #expect(list.path.hasSuffix("&limit=10"))
    }

    static func probePod(name: String, node: String) -> Pod {
        Pod(
            metadata: ObjectMeta(
                name: name, namespace: "kube-system",
                labels: [
                    "app.kubernetes.io/managed-by": "cops-vigilante", "app.kubernetes.io/component": "snat-healer",
                ]),
            spec: PodSpec(
                nodeSelector: ["kubernetes.io/os": "windows", "kubernetes.io/hostname": node],
                tolerations: [Toleration(key: "os", operator: .equal, value: "windows", effect: .noSchedule)],
                containers: [
                    Container(
                        name: "pause-container", image: "mcr.microsoft.com/oss/kubernetes/pause:3.6",
                        resources: ResourceRequirements(requests: ["cpu": "10m", "memory": "16Mi"]))
                ],
                terminationGracePeriodSeconds: 0, automountServiceAccountToken: false))
    }
}
