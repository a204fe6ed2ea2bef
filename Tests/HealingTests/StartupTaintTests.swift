import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// `tasks.snat.startup_taint`: Windows nodes join tainted, and the taint is lifted only once the node is healed on
/// sandbox evidence, leaving every other taint alone.
@Suite struct StartupTaintTests {
    static let node = "akswin000001"
    static let startup = Taint(key: "cops-vigilante/snat-unhealed", value: "true", effect: "NoSchedule")
    static let other = Taint(key: "sku", value: "windows", effect: "NoSchedule")

    static func harness(taints: [Taint], healed: Bool = false) -> HealingHarness {
        var node = TestNodes.windows(node, healed: healed ? "true" : nil)
        node.spec = Node.Spec(taints: taints)
        return HealingHarness(nodes: [node]) { configuration in
            configuration.sandboxTimeout = .seconds(60)
            configuration.retryAfter = .seconds(300)
            configuration.startupTaint = startup
        }
    }

    static func runWindow(_ harness: HealingHarness) async {
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        await harness.advance(1)
    }

    static func taints(_ harness: HealingHarness) async -> [Taint] {
        await harness.api.nodes[node]?.taints ?? []
    }

    @Test func aVerifiedHealedNode_losesTheStartupTaintOnly_andAnEventSaysSo() async throws {
        let harness = Self.harness(taints: [Self.other, Self.startup])
        await harness.round()
        // Still healing: the taint stays.
        #expect(await Self.taints(harness) == [Self.other, Self.startup])
        for _ in 0..<4 { await harness.advance(30) }
        await harness.advance(1)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
        #expect(await Self.taints(harness) == [Self.other], "only the startup taint is removed")
        let event = try #require(await harness.events(SnatNames.startupTaintRemovedReason).first)
        #expect(event.type == .normal)
        #expect(event.note?.contains("cops-vigilante/snat-unhealed=true:NoSchedule") == true)
    }

    @Test func anUnverifiedNode_keepsTheStartupTaint() async {
        let harness = Self.harness(taints: [Self.startup])
        await harness.api.setPodFate(.unschedulable("0/1 nodes are available"), onNode: Self.node)
        await Self.runWindow(harness)
        #expect(await harness.phase(Self.node) == .unverified)
        #expect(await Self.taints(harness) == [Self.startup])
        #expect(await harness.events(SnatNames.startupTaintRemovedReason).isEmpty)
    }

    @Test func aTaintAnotherControllerAddsDuringTheWindow_survives() async {
        let harness = Self.harness(taints: [Self.startup])
        await harness.round()
        await harness.advance(30)
        let added = Taint(key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule")
        var node = await harness.api.nodes[Self.node]!
        node.spec = Node.Spec(taints: [added, Self.startup])
        await harness.api.put(node)
        for _ in 0..<3 { await harness.advance(30) }
        await harness.advance(1)
        #expect(await Self.taints(harness) == [added])
    }

    @Test func aHealedNodeStillTainted_losesTheTaintAtTheResync() async {
        // An earlier run marked it healed and stopped before removing the taint.
        let harness = Self.harness(taints: [Self.startup, Self.other], healed: true)
        await harness.round()
        #expect(await Self.taints(harness) == [Self.other])
        #expect(await harness.probePod(Self.node) == nil, "a healed node gets no probe pod")
    }

    @Test func aRemovalWhoseTestFails_readsTheNodeAgainAndRetries() async {
        // Another writer changed spec.taints between the read and the patch: the JSON patch's test fails (422).
        let harness = Self.harness(taints: [Self.startup], healed: true)
        let call = KubernetesCall(verb: .patchNode, method: "PATCH", path: "/api/v1/nodes/\(Self.node)", attempts: 1)
        await harness.api.fail(.patchNode, with: .invalid(call, message: "testing value /spec/taints/0 failed"))
        await harness.round()
        #expect(await Self.taints(harness) == [])
        #expect(await harness.api.callCount(.getNode) == 2, "read again after the failed test")
        #expect(await harness.api.callCount(.patchNode) == 2)
    }

    @Test func startupTaints_areParsedAsKubectlWritesThem() throws {
        #expect(try Taint.parse("cops-vigilante/snat-unhealed=true:NoSchedule").get() == Self.startup)
        #expect(try Taint.parse("unhealed:NoExecute").get() == Taint(key: "unhealed", effect: "NoExecute"))
        #expect("\(try Taint.parse("a=:PreferNoSchedule").get())" == "a:PreferNoSchedule")
        for bad in [
            "no-effect", "a=b:Sometimes", "=b:NoSchedule", "bad key=v:NoSchedule",
            "k=\(String(repeating: "v", count: 64)):NoSchedule",
        ] {
            #expect(throws: TaintParseError.self, "\(bad)") { try Taint.parse(bad).get() }
        }
        #expect(
            Self.startup.toleration
                == Toleration(key: "cops-vigilante/snat-unhealed", operator: .equal, value: "true", effect: .noSchedule)
        )
    }
}
