import Kubernetes
import KubernetesClient
import Testing

/// Lists that take several pages: `limit` and `continue` as the API server hands them out.
@Suite(.serialized) struct ClientPaginationTests {
    @Test func listAllNodes_over2000Nodes_readsEveryPageOnce() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "2000"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let nodes = try await client.listAllNodes(chunkSize: 500)

        #expect(nodes.count == 2000)
        #expect(Set(nodes.map(\.name)).count == 2000)
        #expect(nodes.allSatisfy { $0.isReady && $0.label(Node.osLabel) == "linux" })
        let log = try fake.requests()
        #expect(log.count == 4)
        #expect(log.allSatisfy { $0.path.contains("limit=500") })
        #expect(!log[0].path.contains("continue="))
        #expect(log.dropFirst().allSatisfy { $0.path.contains("continue=") })
    }

    @Test func listAllNodes_withASelector_paginatesTheMatchingNodesOnly() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "30", "--generate-windows", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let nodes = try await client.listAllNodes(labelSelector: "kubernetes.io/os=windows", chunkSize: 3)

        #expect(nodes.count == 10)
        #expect(nodes.allSatisfy { $0.isWindows })
        #expect(try fake.requests().count == 4)
    }

    @Test func listAllNodes_whenAContinueTokenExpired_startsAgainOnce() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 410, "reason": "Expired", "method": "GET", "path": "continue="}"#)

        let nodes = try await client.listAllNodes(chunkSize: 4)

        #expect(nodes.count == 10)
        #expect(try fake.requests().map(\.status) == [200, 410, 200, 200, 200])
    }

    @Test func listPods_followsContinueTokens() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        for index in 0..<3 {
            _ = try await client.createPod(
                ClientCallsTests.probePod(name: "probe-\(index)", node: "akswin000000"), namespace: "kube-system")
        }

        let pods = try await client.listPods(
            namespace: "kube-system", labelSelector: "app.kubernetes.io/component=snat-healer")

        #expect(pods.map(\.name) == ["probe-0", "probe-1", "probe-2"])
        #expect(pods.allSatisfy { $0.spec?.nodeName == "akswin000000" || $0.status?.phase != nil })
    }
}
