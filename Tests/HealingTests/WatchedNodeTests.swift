import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// Nodes delivered by the leader's watch come from the API server's cache: in order, but possibly behind
/// vigilante's own last write. What they show unchanged is taken as it is; what would start, end or forget something
/// is read back by name first, as a webhook callback is.
@Suite struct WatchedNodeTests {
    @Test func aWatchedReadyWindowsNode_isReadBack_andGetsItsFirstProbePod() async {
        let harness = HealingHarness(nodes: [])
        await harness.round()
        let node = TestNodes.windows("akswin000001")
        await harness.api.put(node)
        harness.scheduler.enqueueWatched(.added(node))
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        #expect(await harness.api.callCount(.getNode) == 1)
    }

    @Test func aWatchedEventOlderThanTheHealing_neverStartsAWindowAgain() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        let beforeHealing = await harness.node("akswin000001")!
        await harness.advanceUntilHealed("akswin000001")
        #expect(await harness.phase("akswin000001") == .healed)
        let pods = await harness.api.createdPods.count
        // A status update from before the healed annotation, delivered late by the watch.
        harness.scheduler.enqueueWatched(.modified(beforeHealing))
        await harness.round()
        await harness.advance(30)
        #expect(await harness.phase("akswin000001") == .healed)
        #expect(await harness.api.createdPods.count == pods, "no probe pod for a node already healed")
        #expect(await harness.events("SnatHealingStarted").count == 1)
    }

    @Test func aWatchedEventThatChangesNothing_isNotReadBack() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        harness.scheduler.enqueueWatched(.modified(TestNodes.windows("akswin000001", healed: "true")))
        await harness.round()
        #expect(await harness.api.callCount(.getNode) == 0)
        #expect(await harness.phase("akswin000001") == .healed)
    }

    @Test func aWatchedLinuxNode_isIgnored_andADeletedOne_isForgotten() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        harness.scheduler.enqueueWatched(.added(TestNodes.linux("aks-linux-1")))
        await harness.round()
        #expect(await harness.phase("aks-linux-1") == nil)
        await harness.api.remove(node: "akswin000001")
        harness.scheduler.enqueueWatched(.deleted(TestNodes.windows("akswin000001")))
        await harness.round()
        #expect(await harness.phase("akswin000001") == nil)
        #expect(await harness.probePod("akswin000001") == nil, "the node's probe pod is cleaned up")
    }

    @Test func bookmarks_changeNothing() async {
        let harness = HealingHarness(nodes: [])
        await harness.round()
        harness.scheduler.enqueueWatched(.bookmark(resourceVersion: "42"))
        #expect(await harness.scheduler.runOnce() == 0)
    }
}
