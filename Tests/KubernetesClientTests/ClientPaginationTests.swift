import Kubernetes
import KubernetesClient
import Testing

/// Lists that take several pages: `limit` and `continue` as the API server hands them out, read through
/// `forEachNodePage`, the paging of the resync and of `vigilante nodes`.
@Suite(.serialized) struct ClientPaginationTests {
    /// Every node `forEachNodePage` hands over, in order.
    private func nodes(
        _ client: some KubernetesAPI, labelSelector: String? = nil, chunkSize: Int
    ) async throws -> [Node] {
        var nodes: [Node] = []
        try await client.forEachNodePage(labelSelector: labelSelector, chunkSize: chunkSize) { nodes += $0 }
        return nodes
    }

    @Test func over2000Nodes_everyPageIsReadOnce() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "2000"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let nodes = try await nodes(client, chunkSize: 500)

        #expect(nodes.count == 2000)
        #expect(Set(nodes.map(\.name)).count == 2000)
        #expect(nodes.allSatisfy { $0.isReady && $0.label(Node.osLabel) == "linux" })
        let log = try fake.requests()
        #expect(log.count == 4)
        #expect(log.allSatisfy { $0.path.contains("limit=500") })
        #expect(!log[0].path.contains("continue="))
        #expect(log.dropFirst().allSatisfy { $0.path.contains("continue=") })
    }

    @Test func withASelector_onlyTheMatchingNodesArePaged() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "30", "--generate-windows", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let nodes = try await nodes(client, labelSelector: "kubernetes.io/os=windows", chunkSize: 3)

        #expect(nodes.count == 10)
        #expect(nodes.allSatisfy { $0.isWindows })
        #expect(try fake.requests().count == 4)
    }

    @Test func notOlderThanAVersionSeen_pagesFromTheCache_andLaterPagesSendOnlyTheirToken() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "30", "--generate-windows", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let seen = try await client.forEachNodePage(labelSelector: "kubernetes.io/os=windows", chunkSize: 500) { _ in }
        let version = try #require(seen)
        try fake.clearRequests()

        var nodes: [Node] = []
        let listed = try await client.forEachNodePage(
            labelSelector: "kubernetes.io/os=windows", freshness: .notOlderThan(version), chunkSize: 4
        ) { nodes += $0 }

        #expect(nodes.count == 10 && Set(nodes.map(\.name)).count == 10)
        #expect(listed == version, "nothing changed since: the same version")
        let paths = try fake.requests().map(\.path)
        #expect(paths.count == 3)
        #expect(
            paths[0].contains("resourceVersion=\(version)") && paths[0].contains("resourceVersionMatch=NotOlderThan"))
        #expect(paths.dropFirst().allSatisfy { $0.contains("continue=") && !$0.contains("resourceVersion") })
    }

    @Test func anyVersion_isAnsweredWholeInOnePage() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "30", "--generate-windows", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        var pages = 0
        try await client.forEachNodePage(freshness: .any, chunkSize: 4) { _ in pages += 1 }

        #expect(pages == 1, "the watch cache ignores the limit for resourceVersion=0")
        #expect(try fake.requests().map(\.path) == ["/api/v1/nodes?resourceVersion=0&limit=4"])
    }

    @Test func whenAContinueTokenExpired_theListingStartsAgainAndHandsEachNodeOverOnce() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 410, "reason": "Expired", "method": "GET", "path": "continue="}"#)

        let nodes = try await nodes(client, chunkSize: 4)

        #expect(nodes.count == 10)
        #expect(Set(nodes.map(\.name)).count == 10)
        #expect(try fake.requests().map(\.status) == [200, 410, 200, 200, 200])
    }

    @Test func whenContinueTokensExpireTwice_theExpiryIsThrown() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        for _ in 0..<2 {
            try fake.addFault(#"{"status": 410, "reason": "Expired", "method": "GET", "path": "continue="}"#)
        }

        await #expect {
            _ = try await nodes(client, chunkSize: 4)
        } throws: { error in
            guard case .expired = error as? KubernetesError else { return false }
            return true
        }
    }

    /// An API server whose list never ends (the same token again): abandoned at the second page, not looped on.
    @Test func aRepeatedContinueToken_abandonsTheListing() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "endless_list", "path": "/api/v1/nodes", "count": 1000, "repeatToken": true}"#)

        await #expect {
            _ = try await nodes(client, chunkSize: 4)
        } throws: { error in
            guard case .paginationAbandoned(_, let message) = error as? KubernetesError else { return false }
            return message.contains("repeated a continue token after 2 pages")
        }
        #expect(try fake.requests().count == 2)
    }

    /// A new token on every page, for ever: abandoned at the bound for the page size (50,000 objects).
    @Test func aListingThatNeverEnds_isAbandonedAtThePageBound() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "10"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "endless_list", "path": "/api/v1/nodes", "count": 1000}"#)

        await #expect {
            _ = try await nodes(client, chunkSize: 5000)
        } throws: { error in
            guard case .paginationAbandoned(_, let message) = error as? KubernetesError else { return false }
            return message.contains("still had more after 11 pages")
        }
        #expect(try fake.requests().count == 11)
    }

    @Test func aPodListThatNeverEnds_isAbandoned() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"kind": "endless_list", "path": "/pods", "count": 1000, "repeatToken": true}"#)

        await #expect {
            _ = try await client.listPods(namespace: "kube-system", labelSelector: nil)
        } throws: { error in
            guard case .paginationAbandoned = error as? KubernetesError else { return false }
            return true
        }
        #expect(try fake.requests().count == 2)
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
