import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// The operator's controls over healing: a node opted out with `cops-vigilante/skip=true`, and the global pause.
@Suite struct OperatorControlTests {
    static func skipped(_ name: String) -> Node {
        var node = TestNodes.windows(name)
        node.metadata.labels?[SnatNames.skipLabel] = "true"
        return node
    }

    @Test func aNodeLabelledSkip_isNeverHealed_andComesBackWhenTheLabelGoes() async {
        let harness = HealingHarness(nodes: [Self.skipped("akswin000001")])
        await harness.round()
        await harness.advance(30)
        #expect(await harness.probePod("akswin000001") == nil)
        #expect(await harness.annotation("akswin000001", SnatNames.healingStartedAtAnnotation) == nil)
        #expect(await harness.phase("akswin000001") == nil)
        #expect(Self.skipped("akswin000001").annotatedHealingState == "skipped (cops-vigilante/skip=true)")

        // The label is removed: the next callback (here, the watch's view of the node) brings it back.
        let unlabelled = TestNodes.windows("akswin000001")
        await harness.api.put(unlabelled)
        harness.scheduler.enqueueWatched(.modified(unlabelled))
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
    }

    @Test func aNodeLabelledSkipMidWindow_stopsHealing_andItsProbePodGoes() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        await harness.api.put(Self.skipped("akswin000001"))
        harness.scheduler.enqueueWatched(.modified(Self.skipped("akswin000001")))
        await harness.round()
        #expect(await harness.phase("akswin000001") == nil)
        #expect(await harness.probePod("akswin000001") == nil)
        await harness.advance(30)
        #expect(await harness.probePod("akswin000001") == nil, "no probe pod comes back")
    }

    @Test func paused_startsNoWindowAndNoProbePod_butResyncsGoOn() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")]) { $0.paused = true }
        await harness.round()
        await harness.advance(30)
        await harness.advance(300)
        #expect(await harness.api.callCount(.listNodes) >= 2, "resyncs go on")
        #expect(await harness.api.callCount(.createPod) == 0)
        #expect(await harness.api.callCount(.patchNode) == 0)
        #expect(await harness.annotation("akswin000001", SnatNames.healingStartedAtAnnotation) == nil)
    }

    @Test func unpaused_aWindowStoredOnTheNodeResumes() async {
        // Paused, then restarted unpaused (the setting is read at start): the stored window goes on.
        let started = "2027-01-15T07:59:30Z"
        let node = TestNodes.windows("akswin000001", startedAt: started)
        let paused = HealingHarness(nodes: [node]) { $0.paused = true }
        await paused.round()
        #expect(await paused.probePod("akswin000001") == nil)
        let resumed = HealingHarness(nodes: [node])
        await resumed.round()
        #expect(await resumed.probePod("akswin000001") != nil)
        #expect(await resumed.annotation("akswin000001", SnatNames.healingStartedAtAnnotation) == started)
    }
}
