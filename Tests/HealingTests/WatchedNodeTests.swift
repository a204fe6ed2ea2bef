import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// Nodes delivered by the leader's watch are the API server's own state: observed as they are, without the read
/// a webhook callback needs.
@Suite struct WatchedNodeTests {
    @Test func aWatchedReadyWindowsNode_getsItsFirstProbePod_withoutBeingReadAgain() async {
        let harness = HealingHarness(nodes: [])
        await harness.round()
        let node = TestNodes.windows("akswin000001")
        await harness.api.put(node)
        harness.scheduler.enqueueWatched(.added(node))
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        #expect(await harness.api.callCount(.getNode) == 0)
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
