import Foundation
import Healing
import Kubernetes
import Prometheus
import TestSupport
import Testing

/// What this version adds to the original: resume, reset, shortened names, leftovers, 409s, fairness, Events.
@Suite struct SchedulerBehaviourTests {
    @Test func restartMidWindow_resumesTheStoredWindow_andCollectsItsSandboxesPastItsEnd() async {
        // The node was 90 s into its window when the process restarted: the evidence of before is lost, so the
        // window runs past its stored end (by up to min_sandboxes × interval) until it has 3 sandboxes again.
        let started = "2027-01-15T07:58:30Z"
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", startedAt: started)])
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil, "the resumed window still needs pods")
        #expect(await harness.annotation("akswin000001", SnatNames.healingStartedAtAnnotation) == started)
        await harness.advance(30)
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == nil, "1 sandbox at the end")
        await harness.advance(30)
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == nil)
        await harness.advance(30)
        #expect(
            await harness.annotation("akswin000001", SnatNames.healedAnnotation) == "true",
            "the third sandbox came 60 s past the stored end")
        #expect(
            await harness.api.events.allSatisfy { $0.reason != SnatNames.startedReason }, "announced before the restart"
        )
    }

    @Test(arguments: ["false", nil] as [String?])
    func healedAnnotationSetToFalseOrRemoved_startsHealingAgain(value: String?) async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", healed: "true")])
        await harness.round()
        #expect(await harness.api.createdPods.isEmpty)
        let reset = TestNodes.windows("akswin000001", healed: value)
        await harness.callback(reset)
        await harness.advance(1)
        #expect(await harness.probePod("akswin000001") != nil)
        #expect(await harness.phase("akswin000001") == .healing)
    }

    @Test func longNodeName_getsAShortenedStablePodName() async {
        let long = "aks-windowspool-12345678-vmss-with-a-very-long-name-000003"
        let name = ProbePod.name(for: long)
        #expect(name.count <= 63)
        #expect(name.hasPrefix("cops-vigilante-snat-healer-aks-windowspool"))
        #expect(name == ProbePod.name(for: long), "stable")
        #expect(name != ProbePod.name(for: long + "4"), "distinct for distinct nodes")
        #expect(ProbePod.name(for: "akswin000003") == "cops-vigilante-snat-healer-akswin000003")
        let harness = HealingHarness(nodes: [TestNodes.windows(long)])
        await harness.round()
        #expect(await harness.api.pod(named: name) != nil)
    }

    @Test func reCreateAnswered409_whileTheOldPodTerminates_isNotAnError() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")], errorThreshold: 1)
        await harness.api.setDeletedPodsLinger(true)
        await harness.round()
        await harness.advance(30)
        #expect(await harness.phase("akswin000001") == .healing, "409 did not count as an error")
        #expect(harness.registryText.contains("cops_vigilante_snat_healing_errors_total 0"))
        await harness.api.finishTerminating()
        await harness.advance(30)
        #expect(await harness.probePod("akswin000001") != nil)
    }

    @Test func leftoverProbePods_ofGoneOrHealedNodes_areCollectedAtResync() async throws {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001"), TestNodes.windows("akswin000002")])
        await harness.round()
        #expect(await harness.api.pods.count == 2)
        await harness.api.remove(node: "akswin000001")
        var healed = TestNodes.windows("akswin000002", healed: "true")
        healed.metadata.annotations?[SnatNames.healedAnnotation] = "true"
        await harness.api.put(healed)
        await harness.advance(301)
        #expect(await harness.api.pods.isEmpty)
    }

    @Test func deletedNode_fromTheWebhook_hasItsProbePodDeletedAtOnce() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        await harness.deletionCallback("akswin000001")
        await harness.advance(1)
        #expect(await harness.probePod("akswin000001") == nil)
        #expect(await harness.phase("akswin000001") == nil)
    }

    @Test func missedCallback_isCaughtByTheResync() async {
        let harness = HealingHarness(nodes: [])
        await harness.round()
        await harness.api.put(TestNodes.windows("akswin000009"))
        await harness.advance(30)
        #expect(await harness.probePod("akswin000009") == nil, "no callback, no resync yet")
        await harness.advance(271)
        #expect(await harness.probePod("akswin000009") != nil)
    }

    @Test func resyncWhoseContinueTokenExpired_startsAgainAndTracksEveryNode() async {
        // Three pages of 500; the token of the second has expired (the list took longer than the API server keeps
        // its snapshot), so the listing starts again and the resync still sees every node.
        let nodes = (1...1_100).map { TestNodes.windows(String(format: "akswin%06d", $0)) }
        let harness = HealingHarness(nodes: nodes)
        await harness.api.expireContinueTokens()

        await harness.round()

        #expect(await harness.api.callCount(.listNodes) == 5)
        var untracked: [String] = []
        for node in nodes where await harness.phase(node.name) == nil { untracked.append(node.name) }
        #expect(untracked.isEmpty)
    }

    @Test func aFailingResync_isCountedAndRetriedWithBackoff_thenRecovers() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.api.fail(
            .listNodes,
            with: .serverError(
                .init(verb: .listNodes, method: "GET", path: "/api/v1/nodes"), code: 500, message: "boom"),
            count: 3)
        // Fails at 0 s, 10 s and 30 s (waits of 10, 20, 40 s); the fourth, at 70 s, succeeds.
        var attempts: [Int] = []
        await harness.round()
        for _ in 0..<14 {
            await harness.advance(5)
            attempts.append(await harness.api.callCount(.listNodes))
        }
        #expect(attempts == [1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4])
        #expect(harness.registryText.contains("cops_vigilante_snat_resync_failures_total 3"))
        #expect(await harness.phase("akswin000001") == .healing)
    }

    @Test func nodeWhoseCallsHang_neverStallsTheOthers() async {
        let nodes = (1...6).map { TestNodes.windows("akswin00000\($0)") }
        let harness = HealingHarness(nodes: nodes, maxConcurrentSteps: 2)
        await harness.api.hang(node: "akswin000001")
        let loop = Task { await harness.scheduler.run() }
        try? await waitUntil("every other node got its probe pod") {
            await harness.api.pods.count == 5
        }
        loop.cancel()
        #expect(await harness.api.pods.count == 5)
        #expect(await harness.probePod("akswin000001") == nil)
    }

    @Test func manyNodes_withFewWorkers_areEachServedEveryRound() async {
        let nodes = (1...40).map { TestNodes.windows(String(format: "akswin%06d", $0)) }
        let harness = HealingHarness(nodes: nodes, maxConcurrentSteps: 3)
        await harness.round()
        for _ in 0..<20 { await harness.scheduler.runOnce(); await harness.scheduler.waitForSteps() }
        #expect(await harness.api.pods.count == 40)
        await harness.advance(30)
        for _ in 0..<20 { await harness.scheduler.runOnce(); await harness.scheduler.waitForSteps() }
        let created = await harness.api.createdPods
        #expect(
            Set(nodes.map { ProbePod.name(for: $0.name) }).allSatisfy { name in created.filter { $0 == name }.count == 2
            })
    }

    @Test func events_areCreatedForStartAndHealed() async throws {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        try await waitUntil("started and healed events") {
            let reasons = await harness.api.events.map(\.reason)
            return reasons.contains(SnatNames.startedReason) && reasons.contains(SnatNames.healedReason)
        }
        let event = try #require(await harness.api.events.first)
        #expect(event.regarding.kind == "Node")
        #expect(event.regarding.name == "akswin000001")
        #expect(event.reportingController == "cops-vigilante")
    }

    @Test func failingEvents_neverBlockHealing() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.api.fail(
            .createEvent, with: .forbidden(.init(verb: .createEvent, method: "POST", path: "/"), message: "no"),
            count: 10)
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == "true")
    }

    @Test func fullInbox_dropsAndCountsEvents() {
        let inbox = NodeEventInbox<Int>(capacity: 2)
        #expect(inbox.put(1, for: "a"))
        #expect(inbox.put(2, for: "b"))
        #expect(inbox.put(3, for: "a"), "an update of a queued node always fits")
        #expect(!inbox.put(4, for: "c"))
        #expect(inbox.takeAll().map(\.snapshot) == [3, 2], "oldest node first, newest snapshot")
    }

    @Test func metrics_keepTheOriginalNames() async {
        let harness = HealingHarness(nodes: [
            TestNodes.windows("akswin000001"), TestNodes.windows("akswin000002", ready: false),
        ])
        await harness.round()
        let text = harness.registryText
        #expect(
            text.contains(
                "# TYPE cops_vigilante_snat_node_healing_attempts untyped\ncops_vigilante_snat_node_healing_attempts 1\n"
            ))
        #expect(
            text.contains(
                "# TYPE cops_vigilante_snat_number_of_not_ready_nodes_found untyped\ncops_vigilante_snat_number_of_not_ready_nodes_found 1\n"
            ))
        #expect(text.contains(#"cops_vigilante_snat_nodes{state="healing"} 1"#))
        #expect(text.contains(#"cops_vigilante_snat_nodes{state="waiting_for_ready"} 1"#))
    }
}

extension HealingHarness {
    var registryText: String {
        var buffer = registry.emitToBuffer()
        metrics.emitCompatibilityCounters(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
