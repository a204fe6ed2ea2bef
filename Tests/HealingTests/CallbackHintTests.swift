import Foundation
import Healing
import Kubernetes
import Synchronization
import TestSupport
import Testing

/// A callback is a hint, the API server is the truth: the scheduler reads the node a callback names (again,
/// briefly, while the change is not stored yet) and acts on what it read, never on the review's body.
@Suite struct CallbackHintTests {
    static func node(_ name: String, ready: Bool, resourceVersion: String) -> Node {
        var node = TestNodes.windows(name, ready: ready)
        node.metadata.resourceVersion = resourceVersion
        return node
    }

    /// Runs passes while moving the clock in small steps, until the scheduler has nothing in flight: the reads of
    /// a callback sleep on the clock between tries.
    static func settle(_ harness: HealingHarness) async throws {
        let done = Flag()
        let passes = Task {
            await harness.round()
            done.set()
        }
        while !done.isSet {
            try await Task.sleep(for: .milliseconds(1))
            harness.clock.advance(by: 0.1)
        }
        await passes.value
    }

    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    @Test func anUpdateNotStoredYet_isReadAgain_andTheStoredNodeActedOn() async throws {
        let harness = HealingHarness(nodes: [Self.node("akswin000001", ready: false, resourceVersion: "5")])
        await harness.round()
        harness.scheduler.enqueue(
            NodeHint(name: "akswin000001", change: .updated(previousResourceVersion: "5")))

        let passes = Task { await harness.round() }
        try await waitUntil("the first read") { await harness.api.callCount(.getNode) == 1 }
        #expect(await harness.api.createdPods.isEmpty, "the version read is the old one: nothing done yet")
        // The API server stores the change; the next read sees it.
        await harness.api.put(Self.node("akswin000001", ready: true, resourceVersion: "6"))
        harness.clock.advance(by: 0.1)
        await passes.value

        #expect(await harness.api.callCount(.getNode) == 2)
        #expect(await harness.probePod("akswin000001") != nil, "the first probe pod once the Ready node was read")
    }

    @Test func aForgedReadyReview_forANotReadyNode_writesNothing() async throws {
        // The review claims Ready and a window started in 2000; the node as stored is NotReady and never healed.
        let harness = HealingHarness(nodes: [Self.node("akswin000001", ready: false, resourceVersion: "7")])
        await harness.round()
        harness.scheduler.enqueue(NodeHint(name: "akswin000001", change: .updated(previousResourceVersion: "3")))
        try await Self.settle(harness)

        #expect(await harness.api.callCount(.getNode) == 1)
        #expect(await harness.api.callCount(.patchNode) == 0)
        #expect(await harness.api.createdPods.isEmpty)
        #expect(await harness.phase("akswin000001") == .waitingForReady)
    }

    @Test func forgedReviewsForMadeUpNodes_costABoundedNumberOfReads_andCreateNothing() async throws {
        let harness = HealingHarness(nodes: [])
        await harness.round()
        for index in 0..<50 {
            harness.scheduler.enqueue(NodeHint(name: "akswin-forged-\(index)", change: .created))
        }
        try await Self.settle(harness)
        while await harness.api.callCount(.getNode) < 200 { try await Self.settle(harness) }

        // Each name is read until the bounded wait is over (4 reads), then ignored.
        #expect(await harness.api.callCount(.getNode) == 200)
        #expect(await harness.api.createdPods.isEmpty)
        #expect(await harness.api.callCount(.patchNode) == 0)
    }

    @Test func aFloodOfCallbacksForOneNode_isReadOnce() async throws {
        let harness = HealingHarness(nodes: [Self.node("akswin000001", ready: true, resourceVersion: "9")])
        await harness.round()
        let reads = await harness.api.callCount(.getNode)
        for _ in 0..<1000 {
            harness.scheduler.enqueue(NodeHint(name: "akswin000001", change: .updated(previousResourceVersion: "8")))
        }
        await harness.round()
        #expect(await harness.api.callCount(.getNode) == reads + 1)
    }

    @Test func aDeletionThatDidNotHappen_forgetsNothing() async throws {
        let harness = HealingHarness(nodes: [Self.node("akswin000001", ready: true, resourceVersion: "9")])
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        harness.scheduler.enqueue(NodeHint(name: "akswin000001", change: .deleted))
        try await Self.settle(harness)

        #expect(await harness.probePod("akswin000001") != nil, "the node is still there: its probe pod stays")
        #expect(await harness.phase("akswin000001") == .healing)
    }

    @Test func aConfirmedDeletion_deletesTheProbePod() async {
        let harness = HealingHarness(nodes: [Self.node("akswin000001", ready: true, resourceVersion: "9")])
        await harness.round()
        await harness.deletionCallback("akswin000001")
        await harness.advance(1)
        #expect(await harness.probePod("akswin000001") == nil)
        #expect(await harness.phase("akswin000001") == nil)
    }
}
