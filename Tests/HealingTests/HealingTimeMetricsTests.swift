import Foundation
import Healing
import Kubernetes
import TestSupport
import Testing

/// `cops_vigilante_snat_time_to_first_probe_seconds` and `…_time_to_healed_seconds`: from a node's window start
/// (when it was first seen Ready) to its first probe pod and to healed.
@Suite struct HealingTimeMetricsTests {
    @Test func aHealedNode_recordsItsTimeToFirstProbeAndToHealed() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        for _ in 0..<4 { await harness.advance(30) }
        await harness.advance(1)
        #expect(await harness.annotation("akswin000001", SnatNames.healedAnnotation) == "true")
        let text = harness.registryText
        #expect(text.contains("cops_vigilante_snat_time_to_first_probe_seconds_count 1"))
        #expect(text.contains(#"cops_vigilante_snat_time_to_first_probe_seconds_bucket{le="1.0"} 1"#))
        #expect(text.contains("cops_vigilante_snat_time_to_healed_seconds_count 1"))
        #expect(text.contains(#"cops_vigilante_snat_time_to_healed_seconds_bucket{le="60.0"} 0"#))
        #expect(text.contains(#"cops_vigilante_snat_time_to_healed_seconds_bucket{le="300.0"} 1"#))
    }

    @Test func theOldestWindowInProgress_isShownByItsAge() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001")])
        await harness.round()
        await harness.advance(30)
        #expect(harness.registryText.contains("cops_vigilante_snat_longest_window_seconds 30.0"))
        for _ in 0..<3 { await harness.advance(30) }
        await harness.advance(1)
        #expect(harness.registryText.contains("cops_vigilante_snat_longest_window_seconds 0.0"), "healed: none left")
    }

    @Test func aResumedWindow_recordsNoFirstProbeTime() async {
        let harness = HealingHarness(nodes: [TestNodes.windows("akswin000001", startedAt: "2027-01-15T07:59:00Z")])
        await harness.round()
        #expect(await harness.probePod("akswin000001") != nil)
        #expect(harness.registryText.contains("cops_vigilante_snat_time_to_first_probe_seconds_count 0"))
    }
}
