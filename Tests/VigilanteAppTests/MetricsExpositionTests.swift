import Foundation
import HTTPServer
import Monitoring
import Testing
import VigilanteApp

/// The whole exposition of the product: every metric name (a contract with dashboards) and `promtool check metrics`.
@Suite struct MetricsExpositionTests {
    private func exposition() async -> String {
        var router = HTTPRouter()
        let metrics = AppMetrics(version: "0.0.0", commit: "test")
        HealthEndpoints.addMetrics(to: &router, registry: metrics.registry, extraExposition: metrics.extraExposition)
        let response = await router.handle(
            HTTPRequest(head: HTTPRequestHead(method: "GET", target: "/metrics"), body: []))
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test func everyMetricName_isExposed() async {
        let names = Set(
            await exposition().split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
                .map { String($0.split(separator: " ")[2]) })
        let expected: Set = [
            "cops_vigilante_admission_requests_total", "cops_vigilante_admission_duration_seconds",
            "cops_vigilante_http_open_connections", "cops_vigilante_tls_handshake_failures_total",
            "cops_vigilante_tls_certificate_expiry_timestamp_seconds", "cops_vigilante_tls_certificate_reloads_total",
            "cops_vigilante_build_info", "process_cpu_seconds_total", "process_resident_memory_bytes",
            "process_virtual_memory_bytes", "process_open_fds", "process_max_fds", "process_start_time_seconds",
            // v1.2.1 names, kept exactly.
            "cops_vigilante_snat_node_healing_attempts", "cops_vigilante_snat_number_of_not_ready_nodes_found",
            "cops_vigilante_snat_nodes", "cops_vigilante_snat_nodes_healed_total",
            "cops_vigilante_snat_healing_errors_total",
            "cops_vigilante_snat_queue_depth", "cops_vigilante_snat_dropped_events_total",
            "cops_vigilante_snat_resync_failures_total", "cops_vigilante_http_connections_shed_total",
            "cops_vigilante_snat_probe_sandboxes_total", "cops_vigilante_snat_paused",
            "cops_vigilante_snat_pods_predating_healing", "cops_vigilante_leader",
            "cops_vigilante_leader_transitions_total", "cops_vigilante_leader_lease_renew_failures_total",
            "cops_vigilante_snat_time_to_first_probe_seconds", "cops_vigilante_snat_time_to_healed_seconds",
            "cops_vigilante_snat_longest_window_seconds", "cops_vigilante_snat_healing_duration_seconds",
        ]
        #expect(names == expected)
    }

    @Test func exposition_passesPromtool() async throws {
        let promtool = try #require(
            ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "promtool is missing: scripts/setup.sh installs Debian's prometheus package")
        let process = Process()
        process.executableURL = URL(filePath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(await exposition().utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(report)")
        #expect(report.isEmpty, "promtool reported: \(report)")
    }
}
