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

        // The 50 names are read together: one list by hostname per try (4 tries in about 2 s), then a GET of each
        // name the last list did not hold (a node whose hostname label is not its name); then they are ignored.
        let hintLists = await harness.api.nodeListSelectors.filter { $0.hasPrefix(Node.hostnameLabel) }
        #expect(hintLists.count == 4)
        #expect(await harness.api.callCount(.getNode) == 50)
        #expect(await harness.api.createdPods.isEmpty)
        #expect(await harness.api.callCount(.patchNode) == 0)
    }

    @Test func callbacksWaitingTogether_areReadByOneList_andEachNodeActedOn() async throws {
        let names = (0..<120).map { String(format: "akswin%06d", $0) }
        let harness = HealingHarness(nodes: names.map { Self.node($0, ready: false, resourceVersion: "1") })
        await harness.round()
        // The nodes turn Ready together (a node pool scaling out); their callbacks arrive before the next pass.
        for name in names {
            await harness.api.put(Self.node(name, ready: true, resourceVersion: "2"))
            harness.scheduler.enqueue(NodeHint(name: name, change: .updated(previousResourceVersion: "1")))
        }
        try await Self.settle(harness)

        let hintLists = await harness.api.nodeListSelectors.filter { $0.hasPrefix(Node.hostnameLabel) }
        #expect(hintLists.count == 3, "120 callbacks in batches of at most 50")
        #expect(await harness.api.callCount(.getNode) == 0)
        for _ in 0..<names.count / 8 { await harness.round() }  // the first probe pods, 8 steps at a time
        for name in names { #expect(await harness.probePod(name) != nil, "\(name) has its first probe pod") }
    }

    @Test func aNodeWhoseHostnameIsNotItsName_isStillRead() async throws {
        func node(_ name: String, ready: Bool, resourceVersion: String) -> Node {
            var node = Self.node(name, ready: ready, resourceVersion: resourceVersion)
            if name.hasSuffix("7") { node.metadata.labels?[Node.hostnameLabel] = "AKSWIN000007.example" }
            return node
        }
        let names = ["akswin000007", "akswin000008"]
        let harness = HealingHarness(nodes: names.map { node($0, ready: false, resourceVersion: "1") })
        await harness.round()
        for name in names {
            await harness.api.put(node(name, ready: true, resourceVersion: "2"))
            harness.scheduler.enqueue(NodeHint(name: name, change: .updated(previousResourceVersion: "1")))
        }
        try await Self.settle(harness)

        #expect(await harness.api.callCount(.getNode) == 1, "the node the list missed is read by name")
        #expect(await harness.probePod("akswin000007") != nil)
        #expect(await harness.probePod("akswin000008") != nil)
    }

    @Test func aSingleCallback_isReadByName_andItsProbePodComesAtOnce() async throws {
        let harness = HealingHarness(nodes: [])
        await harness.round()
        await harness.api.put(Self.node("akswin000001", ready: true, resourceVersion: "2"))
        harness.scheduler.enqueue(NodeHint(name: "akswin000001", change: .created))
        await harness.round()

        #expect(await harness.api.callCount(.getNode) == 1)
        #expect(await harness.api.nodeListSelectors.filter { $0.hasPrefix(Node.hostnameLabel) }.isEmpty)
        #expect(await harness.probePod("akswin000001") != nil, "no wait on the clock before the first probe pod")
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
