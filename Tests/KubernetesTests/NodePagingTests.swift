import Kubernetes
import TestSupport
import Testing

/// `forEachNodePage`, the paging of the resync and of `vigilante nodes`, against the in-memory API server.
@Suite struct NodePagingTests {
    static func nodes(_ names: [String]) -> [Node] {
        names.map { Node(metadata: ObjectMeta(name: $0)) }
    }

    /// The names handed over, page by page.
    static func pages(_ api: FakeKubernetesAPI, chunkSize: Int) async throws -> [[String]] {
        var pages: [[String]] = []
        try await api.forEachNodePage(chunkSize: chunkSize) { pages.append($0.map(\.name)) }
        return pages
    }

    @Test func nodesComeInPagesOfTheChunkSize() async throws {
        let api = FakeKubernetesAPI(nodes: Self.nodes(["a", "b", "c", "d", "e"]))

        #expect(try await Self.pages(api, chunkSize: 2) == [["a", "b"], ["c", "d"], ["e"]])
        #expect(await api.callCount(.listNodes) == 3)
    }

    @Test func anExpiredContinueToken_startsAgain_andNoNodeIsHandedOverTwice() async throws {
        let api = FakeKubernetesAPI(nodes: Self.nodes(["a", "b", "c", "d", "e"]))
        await api.expireContinueTokens()

        let pages = try await Self.pages(api, chunkSize: 2)

        // a, b; then 410 on the second page; from the start again, a and b are left out.
        #expect(pages == [["a", "b"], ["c", "d"], ["e"]])
        #expect(await api.callCount(.listNodes) == 5)
    }

    @Test func aSecondExpiry_isThrown() async throws {
        let api = FakeKubernetesAPI(nodes: Self.nodes(["a", "b", "c", "d", "e"]))
        await api.expireContinueTokens(count: 2)

        await #expect {
            _ = try await Self.pages(api, chunkSize: 2)
        } throws: { error in
            guard case .expired = error as? KubernetesError else { return false }
            return true
        }
    }
}
