import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// The resync lists only Windows nodes (`kubernetes.io/os=windows`, as the kubelet writes it): the API server sends
/// no Linux node. A node labelled `Windows` by hand, which only callbacks find, is read back rather than forgotten.
@Suite struct ResyncSelectorTests {
    @Test func theResync_asksForWindowsNodesOnly() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001"), TestNodes.linux("aks-linux-1")])
        await harness.round()
        #expect(await harness.api.nodeListSelectors == ["kubernetes.io/os=windows"])
        #expect(await harness.probePod("akswin000001") != nil)
    }

    @Test func aNodeLabelledWindowsByHand_survivesTheResync_andIsForgottenWhenGone() async {
        let handLabelled = TestNodes.windows("akswin000002", os: "Windows")
        let harness = HealingHarness(nodes: [handLabelled])
        await harness.round()
        #expect(await harness.phase("akswin000002") == nil, "outside the resync's selector")
        await harness.callback(handLabelled)
        await harness.round()
        #expect(await harness.phase("akswin000002") == .healing, "found by its callback")
        let reads = await harness.api.callCount(.getNode)
        await harness.advance(300)
        #expect(await harness.phase("akswin000002") != nil, "read back at the resync, not forgotten")
        #expect(await harness.api.callCount(.getNode) > reads)
        await harness.api.remove(node: "akswin000002")
        await harness.advance(300)
        #expect(await harness.phase("akswin000002") == nil, "gone: forgotten at the next resync")
    }
}
