import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// The scenarios of the Go original's worker_test.go, on the new scheduler.
@Suite struct WorkerScenarioTests {
    @Test func freshCluster_readyWindowsNodes_getProbePods_andTheirWindowStored() async {
        let harness = HealingHarness(nodes: [
            TestNodes.windows("akswin000001"), TestNodes.windows("akswin000002"), TestNodes.linux("aks-linux-0"),
        ])
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        #expect(await harness.probePod("akswin000002") != nil)
        #expect(await harness.api.pods.count == 2, "no probe pod for a Linux node")
        #expect(await harness.api.callCount(.patchNode) == 0, "first pods come before anything else")
        await harness.advance(1)
        #expect(
            await harness.annotation("akswin000001", SnatNames.healingStartedAtAnnotation) == "2027-01-15T08:00:00Z")
        #expect(harness.metrics.attemptCount == 2)
    }

    @Test func secondRound_beforeTheWindowEnds_deletesAndRecreates() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        await harness.advance(30)
        #expect(await harness.api.createdPods == Array(repeating: ProbePod.name(for: "akswin000001"), count: 2))
        #expect(await harness.api.deletedPods == [ProbePod.name(for: "akswin000001")])
        #expect(await harness.probePod("akswin000001") != nil)
    }

    @Test func probePod_hasTheOriginalsShape() async throws {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", hostname: "akswin000001-host")])
        await harness.round()
        let pod = try #require(await harness.probePod("akswin000001"))
        #expect(pod.name == "cops-vigilante-snat-healer-akswin000001")
        #expect(pod.metadata.namespace == "kube-system")
        #expect(pod.spec?.containers.map(\.name) == ["pause-container"])
        #expect(pod.spec?.containers.first?.image == "mcr.microsoft.com/oss/kubernetes/pause:3.6")
        #expect(
            pod.spec?.nodeSelector == ["kubernetes.io/os": "windows", "kubernetes.io/hostname": "akswin000001-host"])
        #expect(pod.spec?.terminationGracePeriodSeconds == 0)
        #expect(pod.spec?.automountServiceAccountToken == false)
        #expect(pod.metadata.labels?["app.kubernetes.io/managed-by"] == "cops-vigilante")
        #expect(pod.metadata.labels?["app.kubernetes.io/component"] == "snat-healer")
    }

    @Test func windowPassed_marksHealed_inOnePatch_andRemovesThePod() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == "true")
        #expect(await harness.annotation("akswin000001", SnatNames.healingStartedAtAnnotation) == nil)
        #expect(await harness.probePod("akswin000001") == nil)
        #expect(await harness.phase("akswin000001") == .healed)
        #expect(harness.metrics.attemptCount == 4, "rounds at 0, 30, 60, 90 s; at 120 s the window is over")
    }

    @Test func someErrorsUnderTheThreshold_stillHeal() async {
        // Two of the four rounds fail; the two others give the sandboxes this window asks for.
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")], errorThreshold: 3) {
            $0.minSandboxes = 2
        }
        await harness.api.fail(
            .createPod,
            with: .serverError(.init(verb: .createPod, method: "POST", path: "/"), code: 500, message: "boom"), count: 2
        )
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == "true")
    }

    @Test func errorsReachingTheThreshold_neverMarkHealed_andSayWhy() async throws {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")], errorThreshold: 3)
        await harness.api.fail(
            .createPod,
            with: .serverError(.init(verb: .createPod, method: "POST", path: "/"), code: 500, message: "boom"),
            count: 10)
        await harness.round()
        for _ in 0..<6 { await harness.advance(30) }
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == nil)
        #expect(await harness.phase("akswin000001") == .failed)
        try await waitUntil("a SnatHealingFailed event") {
            await harness.api.events.contains {
                $0.reason == SnatNames.failedReason && ($0.note ?? "").contains("boom")
            }
        }
    }

    @Test func fullyHealedCluster_doesNothingButList() async {
        let harness = HealingHarness(nodes: [
            TestNodes.windows("akswin000001", healed: "true"), TestNodes.windows("akswin000002", healed: "true"),
        ])
        await harness.round()
        await harness.advance(30)
        #expect(await harness.api.createdPods.isEmpty)
        #expect(await harness.api.callCount(.patchNode) == 0)
        #expect(await harness.api.callCount(.deletePod) == 0)
    }

    @Test func newNodeJoiningLater_isHealed() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        await harness.callback(TestNodes.windows("akswin000002"))
        await harness.advance(1)
        #expect(await harness.probePod("akswin000002") != nil)
        for _ in 0..<5 { await harness.advance(30) }
        #expect(await harness.annotation("akswin000002", SnatNames.healedAnnotation) == "true")
    }

    @Test func nodeTurningNotReady_getsNoNewPodsAndNoDeletes() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        await harness.callback(TestNodes.windows("akswin000001", ready: false))
        let created = await harness.api.createdPods.count
        let deleted = await harness.api.deletedPods.count
        for _ in 0..<3 { await harness.advance(30) }
        #expect(await harness.api.createdPods.count == created)
        #expect(await harness.api.deletedPods.count == deleted)
        #expect(await harness.phase("akswin000001") == .waitingForReady)
        #expect(harness.metrics.notReadySightingCount == 1)
    }

    @Test func readyAgain_startsTheWindowAgain_andRunsItToTheEnd() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        await harness.advance(60)
        await harness.callback(TestNodes.windows("akswin000001", ready: false))
        await harness.advance(10)
        await harness.callback(TestNodes.windows("akswin000001", ready: true))
        await harness.advance(1)
        let restart = harness.clock.now
        // The old window would have ended 120 s after the first round; the new one runs 120 s from now.
        for _ in 0..<3 { await harness.advance(30) }
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == nil)
        await harness.advance(31)
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == "true")
        #expect(harness.clock.now.timeIntervalSince(restart) >= 120)
    }
}
