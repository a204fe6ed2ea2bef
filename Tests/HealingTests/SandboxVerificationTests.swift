import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// Healed means verified: a node is marked healed only when its probe pods got pod sandboxes (an IP: CNI ADD ran),
/// at least `min_sandboxes` (3) in the window, one created in its last `2 × interval` (60 s). 30 s rounds, a
/// 120 s window; `sandbox_timeout` 60 s and `retry_after` 300 s here.
@Suite struct SandboxVerificationTests {
    static let node = "akswin000001"
    static let untolerated =
        "0/3 nodes are available: 1 node(s) had untolerated taint {sku: gpu}, 2 node(s) didn't match Pod's node "
        + "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."

    static func harness(
        errorThreshold: Int = 10, configure: @escaping (inout HealingConfiguration) -> Void = { _ in }
    ) -> HealingHarness {
        HealingHarness(nodes: [TestNodes.windows(node)], errorThreshold: errorThreshold) { configuration in
            configuration.sandboxTimeout = .seconds(60)
            configuration.retryAfter = .seconds(300)
            configure(&configuration)
        }
    }

    /// Runs the window from its start to 1 s past its end.
    static func runWindow(_ harness: HealingHarness) async {
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        await harness.advance(1)
    }

    @Test func podsThatGetTheirSandboxes_healTheNode_andAreCounted() async {
        let harness = Self.harness()
        await Self.runWindow(harness)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
        #expect(harness.registryText.contains(#"cops_vigilante_snat_probe_sandboxes_total{result="created"} 4"#))
        let healed = await harness.events(SnatNames.healedReason)
        #expect(healed.first?.note?.contains("4 probe pods got a pod sandbox") == true)
    }

    @Test func anUntoleratedTaint_isNeverHealed_theWarningNamesIt_andTheNextWindowWaitsForRetryAfter() async throws {
        let harness = Self.harness()
        await harness.api.setPodFate(.unschedulable(Self.untolerated), onNode: Self.node)
        await Self.runWindow(harness)

        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == nil)
        #expect(await harness.phase(Self.node) == .unverified)
        #expect(await harness.annotation(Self.node, SnatNames.healingStartedAtAnnotation) == nil)
        #expect(await harness.annotation(Self.node, SnatNames.retryAtAnnotation) == "2027-01-15T08:07:00Z")
        #expect(await harness.probePod(Self.node) == nil, "the probe pod goes with the window")
        let warning = try #require(await harness.events(SnatNames.unverifiedReason).first)
        #expect(warning.type == .warning)
        #expect(warning.note?.contains("untolerated taint {sku: gpu}") == true)
        #expect(warning.note?.contains("0 of 4 probe pods got a pod sandbox") == true)
        #expect(harness.registryText.contains(#"cops_vigilante_snat_probe_sandboxes_total{result="unschedulable"} 3"#))
        #expect(harness.registryText.contains(#"cops_vigilante_snat_nodes{state="unverified"} 1"#))

        // Nothing happens until retry_after has passed; then a new window starts, and heals once the taint is
        // tolerated.
        let created = await harness.api.createdPods.count
        await harness.advance(290)
        #expect(await harness.api.createdPods.count == created)
        await harness.api.setPodFate(.sandbox, onNode: Self.node)
        await harness.advance(10)
        #expect(await harness.probePod(Self.node) != nil)
        await harness.advance(1)
        #expect(await harness.annotation(Self.node, SnatNames.retryAtAnnotation) == nil)
        #expect(await harness.annotation(Self.node, SnatNames.healingStartedAtAnnotation) != nil)
        for _ in 0..<4 { await harness.advance(30) }
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
    }

    @Test func aSandboxThatCannotBeCreated_isCountedWithTheKubeletsError_andTheNodeIsNotHealed() async throws {
        let harness = Self.harness()
        let cni = "Failed to create pod sandbox: plugin type=\"azure-vnet\" failed (add): Failed to get IP address"
        await harness.api.setPodFate(.sandboxFails(cni), onNode: Self.node)
        await Self.runWindow(harness)

        // Bound pods are left alone until sandbox_timeout (60 s), then replaced: rounds at 0, 60, 120 s.
        #expect(await harness.api.deletedPods.count == 2)
        #expect(harness.registryText.contains(#"cops_vigilante_snat_probe_sandboxes_total{result="sandbox_failed"} 2"#))
        await harness.advance(60)
        #expect(await harness.phase(Self.node) == .unverified)
        let warning = try #require(await harness.events(SnatNames.unverifiedReason).first)
        #expect(warning.note?.contains("its sandbox could not be created: \(cni)") == true)
    }

    @Test func aSlowSandbox_isLeftAloneUntilItComes_andHeals() async {
        let harness = Self.harness { $0.window = .seconds(240) }
        await harness.api.setPodFate(.pending, onNode: Self.node)
        await harness.round()
        await harness.advance(30)
        #expect(await harness.api.deletedPods.isEmpty, "a bound pod waiting for its sandbox is not replaced")
        await harness.api.giveSandbox(toPodOf: Self.node)
        await harness.advance(30)
        #expect(await harness.api.deletedPods.count == 1, "replaced once its sandbox came")
        // The next pods are slow too: each gets its sandbox 25 s after it was created.
        for _ in 0..<7 {
            await harness.advance(25)
            await harness.api.giveSandbox(toPodOf: Self.node)
            await harness.advance(5)
        }
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
        #expect(harness.registryText.contains(#"result="timeout"} 0"#))
    }

    @Test func noSandboxWithinTheTimeout_isATimeout_withTheContainersReason() async throws {
        let harness = Self.harness()
        await harness.api.setPodFate(.pending, onNode: Self.node)
        await Self.runWindow(harness)
        // Created at 0 and 60 s, each replaced 60 s later (the last at the window's end): two timeouts.
        #expect(harness.registryText.contains(#"cops_vigilante_snat_probe_sandboxes_total{result="timeout"} 2"#))
        let warning = try #require(await harness.events(SnatNames.unverifiedReason).first)
        #expect(
            warning.note?.contains("it got no sandbox in time (waited 1m, the container ContainerCreating)") == true)
    }

    @Test func anImagePullFailure_stillHeals_forTheSandboxGotItsIP() async {
        let harness = Self.harness()
        await harness.api.setPodFate(.imagePullFails, onNode: Self.node)
        await Self.runWindow(harness)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
    }

    @Test func lateEvidence_theWindowsEndWaitsForTheLastPodsSandbox() async {
        let harness = Self.harness()
        // The first pod cannot be placed; the pods of 30 and 60 s get their sandboxes; the last round's pod
        // (created at 90 s) is slow. At the window's end (120 s) it would be the third sandbox.
        await harness.api.setPodFate(.unschedulable(Self.untolerated), onNode: Self.node)
        await harness.round()
        await harness.api.setPodFate(.sandbox, onNode: Self.node)
        await harness.advance(30)
        await harness.advance(30)
        await harness.api.setPodFate(.pending, onNode: Self.node)
        await harness.advance(30)
        await harness.advance(30)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == nil)
        #expect(await harness.phase(Self.node) == .healing, "waiting for the last sandbox, up to 150 s")
        await harness.api.giveSandbox(toPodOf: Self.node)
        await harness.advance(15)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
    }

    @Test func sandboxesOnlyEarlyInTheWindow_areNotEnough() async throws {
        // Two sandboxes are enough here, but one must come from a pod created in the window's last 60 s.
        let harness = Self.harness { $0.minSandboxes = 2 }
        await harness.round()
        await harness.advance(30)
        // From 60 s on, the node cannot place probe pods any more (a taint added mid-window).
        await harness.api.setPodFate(.unschedulable(Self.untolerated), onNode: Self.node)
        await harness.advance(30)
        await harness.advance(30)
        await harness.advance(30)
        #expect(await harness.phase(Self.node) == .unverified)
        let warning = try #require(await harness.events(SnatNames.unverifiedReason).first)
        #expect(warning.note?.contains("no probe pod created in the window's last 1m got a pod sandbox") == true)
    }

    @Test(arguments: [true, false])
    func everyProbeCreationFailing_isNeverHealed_whateverTheThreshold(verify: Bool) async {
        // Slow failing steps: the window ends before the threshold (10) is reached.
        let harness = Self.harness(errorThreshold: 10) { $0.verifySandboxes = verify }
        await harness.api.fail(
            .createPod,
            with: .serverError(.init(verb: .createPod, method: "POST", path: "/"), code: 500, message: "boom"),
            count: 100)
        await Self.runWindow(harness)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == nil)
        #expect(await harness.phase(Self.node) == .unverified)
    }

    @Test func theThreshold_countsEveryFailedAttempt_ofACallTheClientRetried() async throws {
        // One step whose call failed 5 times inside the client (about 4 s of retries) reaches a threshold of 3.
        let harness = Self.harness(errorThreshold: 3)
        let call = KubernetesCall(verb: .createPod, method: "POST", path: "/", attempts: 5)
        await harness.api.fail(.createPod, with: .serverError(call, code: 500, message: "boom"), count: 100)
        await harness.round()
        #expect(await harness.phase(Self.node) == .failed)
        #expect(await harness.api.callCount(.createPod) == 1)
        let warning = try #require(await harness.events(SnatNames.failedReason).first)
        #expect(warning.note?.contains("Gave up after 5 failed API calls") == true)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == nil)
    }

    @Test func withVerificationOff_theOriginalRuleHeals_anUnschedulableNode() async {
        let harness = Self.harness { $0.verifySandboxes = false }
        await harness.api.setPodFate(.unschedulable(Self.untolerated), onNode: Self.node)
        await Self.runWindow(harness)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
        let listed = await harness.api.callCount(.listPods)
        #expect(listed == 1, "the probe pods are not listed for their status, only by the resync")
    }

    @Test func aRestart_keepsTheStoredRetryTime() async {
        let retry = "2027-01-15T08:05:00Z"
        var node = TestNodes.windows(Self.node)
        node.metadata.annotations = [SnatNames.retryAtAnnotation: retry]
        let harness = HealingHarness(nodes: [node])
        await harness.round()
        #expect(await harness.phase(Self.node) == .unverified)
        #expect(await harness.api.createdPods.isEmpty)
        await harness.advance(300)
        #expect(await harness.probePod(Self.node) != nil, "the next window starts at the stored time")
    }

    @Test func roundsThatCameLate_extendTheWindowOnce_forARecentSandbox_thenHeal() async {
        // Pods of 0 and 30 s got their sandboxes, then no round ran until past the end (the client's rate limit
        // held them, as in a large scale-out): nothing recent, but nothing failed either.
        let harness = Self.harness { $0.minSandboxes = 2 }
        await harness.round()
        await harness.advance(30)
        await harness.advance(95)
        #expect(await harness.phase(Self.node) == .healing, "extended by 2 intervals; a new probe pod at once")
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == nil)
        #expect(await harness.api.callCount(.createPod) == 3)
        await harness.advance(30)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
    }

    @Test func aResumedWindowShortOfSandboxes_isExtendedOnce_thenUnverified() async throws {
        let started = "2027-01-15T07:58:30Z"
        let harness = HealingHarness(nodes: [TestNodes.windows(Self.node, startedAt: started)])
        await harness.api.setPodFate(.unschedulable(Self.untolerated), onNode: Self.node)
        await harness.round()
        // Stored end at 30 s, extended by 3 × 30 s to 120 s; unverified then, not before.
        await harness.advance(30)
        #expect(await harness.phase(Self.node) == .healing)
        for _ in 0..<3 { await harness.advance(30) }
        await harness.advance(1)
        #expect(await harness.phase(Self.node) == .unverified)
    }
}
