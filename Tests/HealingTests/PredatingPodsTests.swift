import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// When a node is healed, the workload pods that started on it before its first verified sandbox are named: they
/// keep the old SNAT configuration. DaemonSet, mirror and host-network pods are never counted.
@Suite struct PredatingPodsTests {
    static let node = "akswin000001"

    /// The window starts at the harness clock's time (2027-01-15T08:00:00Z).
    static func pod(
        _ name: String, createdAt: String, owner: String? = nil, mirror: Bool = false, hostNetwork: Bool = false,
        phase: String = "Running"
    ) -> Pod {
        var spec = PodSpec(nodeName: node, containers: [Container(name: "app", image: "app:1")])
        spec.hostNetwork = hostNetwork ? true : nil
        var metadata = ObjectMeta(
            name: name, namespace: "shop", creationTimestamp: createdAt,
            annotations: mirror ? ["kubernetes.io/config.mirror": "abc"] : nil)
        metadata.ownerReferences = owner.map { [OwnerReference(kind: $0, name: "\(name)-owner")] }
        return Pod(metadata: metadata, spec: spec, status: PodStatus(phase: phase))
    }

    static func harness(report: Bool = true) -> HealingHarness {
        HealingHarness(nodes: [TestNodes.windows(node)]) { configuration in
            configuration.sandboxTimeout = .seconds(60)
            configuration.reportPodsPredatingHealing = report
        }
    }

    static func heal(_ harness: HealingHarness) async {
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        await harness.advance(1)
    }

    static func putWorkloads(_ harness: HealingHarness) async {
        for pod in [
            pod("cart-1", createdAt: "2027-01-15T07:59:00Z"),
            pod("cart-2", createdAt: "2027-01-15T07:59:30Z"),
            pod("batch-done", createdAt: "2027-01-15T07:58:00Z", phase: "Succeeded"),
            pod("fluentbit-x", createdAt: "2027-01-15T07:50:00Z", owner: "DaemonSet"),
            pod("kube-proxy-static", createdAt: "2027-01-15T07:50:00Z", mirror: true),
            pod("hostnet", createdAt: "2027-01-15T07:50:00Z", hostNetwork: true),
            pod("cart-3", createdAt: "2027-01-15T08:05:00Z"),
        ] {
            await harness.api.put(pod: pod)
        }
    }

    @Test func workloadPodsOlderThanTheFirstSandbox_areNamedInAWarningEvent_andCounted() async throws {
        let harness = Self.harness()
        await Self.putWorkloads(harness)
        await Self.heal(harness)
        #expect(await harness.annotation(Self.node, SnatNames.healedAnnotation) == "true")
        let event = try #require(await harness.events(SnatNames.podsPredatingHealingReason).first)
        #expect(event.type == .warning)
        #expect(event.note?.hasPrefix("2 pod(s) started before the node was healed") == true)
        #expect(event.note?.hasSuffix("shop/cart-1, shop/cart-2") == true)
        #expect(harness.registryText.contains("cops_vigilante_snat_pods_predating_healing 2"))
    }

    @Test func noPredatingPod_noEvent() async {
        let harness = Self.harness()
        await harness.api.put(pod: Self.pod("cart-3", createdAt: "2027-01-15T08:05:00Z"))
        await Self.heal(harness)
        #expect(await harness.events(SnatNames.podsPredatingHealingReason).isEmpty)
        #expect(harness.registryText.contains("cops_vigilante_snat_pods_predating_healing 0"))
    }

    @Test func turnedOff_podsAreNotEvenListed() async {
        let harness = Self.harness(report: false)
        await Self.putWorkloads(harness)
        await Self.heal(harness)
        #expect(await harness.events(SnatNames.podsPredatingHealingReason).isEmpty)
        #expect(await harness.api.callCount(.listNodePods) == 0)
    }
}

/// With `evict_pods_predating_healing`, those pods are evicted through the Eviction API; a refusal (429, a
/// PodDisruptionBudget) is asked again later with backoff, never turned into a delete.
@Suite struct PredatingPodEvictionTests {
    static func harness() -> HealingHarness {
        HealingHarness(nodes: [TestNodes.windows(PredatingPodsTests.node)]) { configuration in
            configuration.sandboxTimeout = .seconds(60)
            configuration.evictPodsPredatingHealing = true
        }
    }

    @Test func predatingWorkloadPods_areEvicted_andDaemonSetPodsNever() async throws {
        let harness = Self.harness()
        await PredatingPodsTests.putWorkloads(harness)
        await PredatingPodsTests.heal(harness)
        await harness.round()
        #expect(await harness.api.evictedPods == ["shop/cart-1", "shop/cart-2"])
        let event = try #require(await harness.events(SnatNames.podsPredatingHealingReason).first)
        #expect(event.note?.contains("evicting them (PodDisruptionBudgets honoured)") == true)
        #expect(harness.registryText.contains("cops_vigilante_snat_pods_predating_healing 0"))
        #expect(await harness.api.deletedPods.allSatisfy { $0.hasPrefix(SnatNames.probePodPrefix) })
    }

    @Test func aRefusedEviction_isAskedAgainAfterAWait_neverDeleted() async {
        let harness = Self.harness()
        await harness.api.put(pod: PredatingPodsTests.pod("cart-1", createdAt: "2027-01-15T07:59:00Z"))
        let call = KubernetesCall(verb: .evictPod, method: "POST", path: "/", attempts: 1)
        await harness.api.fail(.evictPod, with: .tooManyRequests(call, retryAfter: nil), count: 2)
        await PredatingPodsTests.heal(harness)
        // Healed (and refused once) at 120 s; `heal` ends at 121 s.
        #expect(await harness.api.callCount(.evictPod) == 1, "refused once")
        await harness.advance(28)
        #expect(await harness.api.callCount(.evictPod) == 1, "not before the wait of one interval (30 s)")
        await harness.advance(1)
        #expect(await harness.api.callCount(.evictPod) == 2, "refused again; the wait doubles")
        await harness.advance(59)
        #expect(await harness.api.callCount(.evictPod) == 2)
        await harness.advance(1)
        #expect(await harness.api.evictedPods == ["shop/cart-1"])
        #expect(harness.registryText.contains("cops_vigilante_snat_pods_predating_healing 0"))
    }
}
