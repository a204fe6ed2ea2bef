import Kubernetes
import KubernetesClient
import TestSupport
import Testing

/// Broken answers and refusals from the fake API server: each becomes the typed error it is (or a successful
/// retry), never a crash.
@Suite(.serialized) struct ClientFaultTests {
    @Test func aCallToAHangingAPIServer_endsAsCancelled_whenItsTaskIsCancelled() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        // Far longer than the client's 60 s request timeout: only the cancellation can end the call.
        try fake.addFault(#"{"kind": "delay", "delayMs": 600000, "method": "GET", "path": "^/api/v1/nodes/"}"#)

        let call = Task {
            await caught { () async throws(KubernetesError) in try await client.getNode(named: "akswin000000") }
        }
        try await waitUntil("the request hangs at the fake") {
            (try? fake.requests())?.contains { $0.status == nil } == true
        }
        call.cancel()

        #expect(await call.value?.caseName == "cancelled")
    }

    @Test func malformedJSON_isADecodingError_notRetried() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "malformed_json", "method": "GET", "path": "^/api/v1/nodes/"}"#)

        let error = await caught { () async throws(KubernetesError) in try await client.getNode(named: "akswin000000") }

        #expect(error?.caseName == "decoding")
        #expect(try fake.requests().count == 1)
    }

    @Test func truncatedBody_ofAList_isADecodingError() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "5"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "truncated_body", "method": "GET", "path": "^/api/v1/nodes"}"#)

        let error = await caught { () async throws(KubernetesError) in try await client.listNodes(NodeListOptions()) }

        #expect(error?.caseName == "decoding")
        #expect(error?.description.contains("NodeList") == true)
    }

    @Test func truncatedBody_ofAPodList_isADecodingError() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        _ = try await client.createPod(
            ClientCallsTests.probePod(name: "p", node: "akswin000000"), namespace: "kube-system")
        try fake.addFault(#"{"kind": "truncated_body", "method": "GET", "path": "/pods"}"#)

        let error = await caught { () async throws(KubernetesError) in
            try await client.listPods(namespace: "kube-system", labelSelector: nil)
        }

        #expect(error?.caseName == "decoding")
    }

    @Test func connectionDroppedMidResponse_isRetried() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "20"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "drop_mid_response", "method": "GET", "path": "^/api/v1/nodes"}"#)

        let page = try await client.listNodes(NodeListOptions())

        #expect(page.items.count == 20)
        #expect(try fake.requests().count == 2)
    }

    @Test func connectionDroppedWithoutAnswer_isRetried() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "drop", "method": "GET", "count": 2}"#)

        let node = try await client.getNode(named: "akswin000000")

        #expect(node.name == "akswin000000")
        #expect(try fake.requests().count == 3)
    }

    @Test func createTwice_isAlreadyExists() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let pod = ClientCallsTests.probePod(name: "twice", node: "akswin000000")
        _ = try await client.createPod(pod, namespace: "kube-system")

        let error = await caught { () async throws(KubernetesError) in
            try await client.createPod(pod, namespace: "kube-system")
        }

        #expect(error?.caseName == "alreadyExists")
        #expect(error?.call.attempts == 1)
    }

    @Test func createRetriedAfterALostAnswer_thenGets409_isAlreadyExistsAfterARetry() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        // The pod is created, but the connection closes before the answer: the retry meets the pod.
        try fake.addFault(#"{"kind": "drop", "apply": true, "method": "POST", "path": "/pods$"}"#)
        let pod = ClientCallsTests.probePod(name: "lost-answer", node: "akswin000000")

        let error = await caught { () async throws(KubernetesError) in
            try await client.createPod(pod, namespace: "kube-system")
        }

        #expect(error?.caseName == "alreadyExists")
        #expect(error?.call.attempts == 2)
        #expect(error?.description.contains("an earlier attempt whose answer was lost probably created it") == true)
        let pods = try await client.listPods(namespace: "kube-system", labelSelector: nil)
        #expect(pods.map(\.name) == ["lost-answer"])
    }

    @Test func invalidPod_is422Invalid_withTheFieldInTheMessage_notRetried() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let pod = Pod(metadata: ObjectMeta(name: "no-containers"), spec: PodSpec(containers: []))

        let error = await caught { () async throws(KubernetesError) in
            try await client.createPod(pod, namespace: "kube-system")
        }

        #expect(error?.caseName == "invalid")
        #expect(error?.description.contains("spec.containers") == true)
        #expect(try fake.requests().count == 1)
    }

    @Test func podInAMissingNamespace_isNotFound() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let error = await caught { () async throws(KubernetesError) in
            try await client.createPod(ClientCallsTests.probePod(name: "p", node: "n"), namespace: "no-such-namespace")
        }

        #expect(error?.caseName == "notFound")
    }

    @Test func injectedConflict_onAPatch_isConflict() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 409, "reason": "Conflict", "method": "PATCH"}"#)

        let error = await caught { () async throws(KubernetesError) in
            try await client.mergePatchAnnotations(node: "akswin000000", ["a": "b"])
        }

        #expect(error?.caseName == "conflict")
        #expect(error?.call.verb == .patchNode)
    }

    @Test func injectedForbidden_isForbidden_notRetried() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 403, "method": "GET"}"#)

        let error = await caught { () async throws(KubernetesError) in try await client.listNodes(NodeListOptions()) }

        #expect(error?.caseName == "forbidden")
        #expect(try fake.requests().count == 1)
    }
}
