import Foundation
import Kubernetes
import KubernetesClient
import Synchronization
import TestSupport
import Testing

/// The node watch against the fake API server's watch, which streams as the real one does (chunked lines, 410 for
/// a version older than its history).
@Suite(.serialized) struct ClientWatchTests {
    /// Collects a watch's events.
    final class Events: Sendable {
        let events = Mutex<[NodeWatchEvent]>([])
        var all: [NodeWatchEvent] { events.withLock { $0 } }
        func add(_ event: NodeWatchEvent) { events.withLock { $0.append(event) } }
        var names: [String] {
            all.compactMap {
                switch $0 {
                case .added(let node), .modified(let node), .deleted(let node): node.name
                case .bookmark: nil
                }
            }
        }
    }

    @Test func watchWithoutVersion_startsWithEveryMatchingNode_thenStreamsChanges() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "2", "--generate-windows", "2"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let events = Events()
        let watching = Task {
            try await client.watchNodes(
                labelSelector: "kubernetes.io/os=windows", resourceVersion: nil, timeoutSeconds: 30,
                onEvent: events.add)
        }
        try await waitUntil("the two Windows nodes arrive") { events.all.count == 2 }
        #expect(events.all.allSatisfy { if case .added(let node) = $0 { node.isWindows } else { false } })
        _ = try fake.admin("POST", "nodes/akswin000000/ready", json: #"{"ready": false}"#)
        try await waitUntil("the change arrives") { events.all.count == 3 }
        guard case .modified(let node) = events.all[2] else {
            Issue.record("expected MODIFIED, got \(events.all[2])")
            return
        }
        #expect(node.name == "akswin000000")
        #expect(!node.isReady)
        watching.cancel()
        _ = await watching.result
        let logged = try #require(try fake.requests().first { $0.path.contains("watch=true") })
        #expect(logged.path.contains("labelSelector=kubernetes.io%2Fos%3Dwindows"))
        #expect(logged.path.contains("allowWatchBookmarks=true"))
        #expect(logged.path.contains("timeoutSeconds=30"))
    }

    @Test func watchFromACompactedVersion_isExpired() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let listed = try await client.listNodes(NodeListOptions())
        _ = try fake.admin("POST", "nodes/akswin000000/ready", json: #"{"ready": false}"#)
        _ = try fake.admin("POST", "compact")
        let error = await caught { () async throws(KubernetesError) in
            try await client.watchNodes(
                labelSelector: nil, resourceVersion: listed.resourceVersion, timeoutSeconds: 30, onEvent: { _ in })
        }
        #expect(error?.caseName == "expired")
        #expect(error?.call.verb == .watchNodes)
    }

    @Test func watchTheServerEnds_returns() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let events = Events()
        try await client.watchNodes(labelSelector: nil, resourceVersion: nil, timeoutSeconds: 1, onEvent: events.add)
        #expect(events.names == ["akswin000000"])
    }
}
