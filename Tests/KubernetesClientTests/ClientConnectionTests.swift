import Kubernetes
import Synchronization
import Testing

@testable import KubernetesClient

/// Connection reuse and use from many tasks at once, against the fake over HTTPS.
@Suite(.serialized) struct ClientConnectionTests {
    static func connectionsOpened(_ client: CurlKubernetesClient) throws -> Int {
        let transport = try #require(client.executor.transport as? CurlTransport)
        return transport.connectionsOpened.load(ordering: .relaxed)
    }

    @Test func sequentialCalls_reuseOneConnection() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        for _ in 0..<10 { _ = try await client.getNode(named: "akswin000000") }

        #expect(try Self.connectionsOpened(client) == 1)
        #expect(try fake.requests().count == 10)
    }

    @Test func concurrentCalls_fromManyTasks_allSucceed() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<32 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? try await client.getNode(named: "akswin000000").name
                        : try await client.mergePatchAnnotations(node: "akswin000000", ["example.com/n": "\(index)"])
                            .name
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(names.count == 32)
        #expect(Set(names) == ["akswin000000"])
        #expect(try fake.requests().allSatisfy { $0.status == 200 })
        #expect(try Self.connectionsOpened(client) <= 32)
    }
}
