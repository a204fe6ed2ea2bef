import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// After the first resync (a quorum read), resyncs read the API server's watch cache, not older than the previous
/// list (`resourceVersionMatch=NotOlderThan`). Such a list may lag behind what healing already did: what it shows
/// unchanged is taken as it is; what it would act on is read back by name first.
@Suite struct ResyncFromWatchCacheTests {
    /// Runs rounds 30 s apart until the scheduler has made `count` node lists (bounded).
    private func advanceToList(_ count: Int, _ harness: HealingHarness) async {
        for _ in 0..<40 where await harness.api.nodeListOptions.count < count {
            await harness.advance(30)
        }
    }

    @Test func theFirstResyncIsAQuorumRead_andTheNextOnesReadTheCacheNotOlderThanTheLastList() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        await advanceToList(3, harness)
        let lists = await harness.api.nodeListOptions
        #expect(lists.count == 3)
        #expect(lists[0].resourceVersion == nil && lists[0].resourceVersionMatch == nil, "most recent: a quorum read")
        for list in lists.dropFirst() {
            #expect(list.resourceVersion == "1000" && list.resourceVersionMatch == .notOlderThan)
            #expect(list.labelSelector == "kubernetes.io/os=windows" && list.limit == 500)
        }
    }

    @Test func inSteadyState_nothingIsReadBack() async {
        let harness = HealingHarness(
            nodes: (1...5).map { TestNodes.windows("akswin00000\($0)", healed: "true") })
        await harness.round()
        await advanceToList(4, harness)
        #expect(await harness.api.nodeListOptions.count == 4)
        #expect(await harness.api.callCount(.getNode) == 0)
        #expect(await harness.api.createdPods.isEmpty)
    }

    @Test func aCacheOlderThanTheHealing_neverStartsAWindowAgain() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        #expect(await harness.phase("akswin000001") == .healing)
        // The watch cache still shows the node as it was when its window started.
        await harness.api.lagWatchCache()
        await harness.advanceUntilHealed("akswin000001")
        #expect(await harness.phase("akswin000001") == .healed)
        let pods = await harness.api.createdPods.count
        let reads = await harness.api.callCount(.getNode)
        await advanceToList(2, harness)
        #expect(await harness.api.nodeListOptions.last?.resourceVersionMatch == .notOlderThan)
        #expect(await harness.api.callCount(.getNode) == reads + 1, "the node the stale list shows unhealed is read")
        #expect(await harness.phase("akswin000001") == .healed)
        #expect(await harness.api.createdPods.count == pods, "no probe pod for a node already healed")
        #expect(await harness.events("SnatHealingStarted").count == 1)
    }

    @Test func aNodeMissingFromALaggingCache_isReadBack_andKeptWhileItExists() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        await harness.api.lagWatchCache()
        await harness.callback(TestNodes.windows("akswin000002"))
        await harness.round()
        #expect(await harness.phase("akswin000002") == .healing)
        await advanceToList(2, harness)
        #expect(await harness.phase("akswin000002") != nil, "not in the stale list, but the API server has it")
        await harness.api.remove(node: "akswin000002")
        await advanceToList(3, harness)
        #expect(await harness.phase("akswin000002") == nil, "read back once more, and gone: forgotten")
    }

    @Test func aNewNodeOnlyTheCacheShows_isReadBeforeItsWindowStarts() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        await harness.api.put(TestNodes.windows("akswin000003"))  // no callback reached the scheduler
        await advanceToList(2, harness)
        #expect(await harness.api.callCount(.getNode) == 1)
        #expect(await harness.phase("akswin000003") == .healing)
        #expect(await harness.probePod("akswin000003") != nil)
    }

    @Test func afterAFailedResync_theNextOneIsAQuorumRead() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        let call = KubernetesCall(verb: .listNodes, method: "GET", path: "/api/v1/nodes")
        await harness.api.fail(
            .listNodes, with: .timeout(call, message: "Timeout: Too large resource version: 2000, current: 1000"))
        await advanceToList(3, harness)
        let lists = await harness.api.nodeListOptions
        #expect(lists.count == 3)
        #expect(lists[1].resourceVersionMatch == .notOlderThan, "the one that failed")
        #expect(lists[2].resourceVersion == nil, "asked again as a quorum read")
    }
}
