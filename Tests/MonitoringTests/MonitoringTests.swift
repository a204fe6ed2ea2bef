import Foundation
import HTTPServer
import Monitoring
import Prometheus
import TestSupport
import Testing

@Suite struct ReadinessTests {
    @Test func readiness_waitsForEveryRegisteredCondition() {
        let readiness = Readiness()
        #expect(readiness.pending.isEmpty, "nothing registered: ready")
        readiness.register("certificate")
        readiness.register("first node sync")
        readiness.markMet("certificate")
        #expect(readiness.pending == ["first node sync"])
        readiness.markMet("first node sync")
        #expect(readiness.pending.isEmpty)
    }

    @Test func readyz_answers503NamingWhatIsPending_then200() async {
        let readiness = Readiness()
        readiness.register("first node sync")
        var router = HTTPRouter()
        HealthEndpoints.addHealth(to: &router, readiness: readiness)
        let request = HTTPRequest(head: HTTPRequestHead(method: "GET", target: "/readyz"), body: [])
        let before = await router.handle(request)
        #expect(before.status == .serviceUnavailable)
        #expect(String(decoding: before.body, as: UTF8.self) == "not ready: waiting for first node sync\n")
        readiness.markMet("first node sync")
        #expect(await router.handle(request).status == .ok)
    }
}

@Suite struct ExpositionTests {
    private func scrape(_ registry: PrometheusCollectorRegistry) async -> String {
        var router = HTTPRouter()
        HealthEndpoints.addMetrics(to: &router, registry: registry)
        let response = await router.handle(
            HTTPRequest(head: HTTPRequestHead(method: "GET", target: "/metrics"), body: []))
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test func processMetrics_areExposedWithTheirTypes() async {
        let text = await scrape(PrometheusCollectorRegistry())
        for (name, type) in [
            ("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"),
            ("process_open_fds", "gauge"), ("process_start_time_seconds", "gauge"),
        ] {
            #expect(text.contains("# TYPE \(name) \(type)\n\(name) "), "\(name) missing or mistyped")
        }
        let start = text.split(separator: "\n").first { $0.hasPrefix("process_start_time_seconds ") }
        let seconds = Double(start?.split(separator: " ").last ?? "") ?? 0
        #expect(abs(seconds - Date().timeIntervalSince1970) < 3600, "start time \(seconds) is not recent")
    }

    @Test func serverMetrics_countConnectionsAndReloads() async {
        let registry = PrometheusCollectorRegistry()
        let metrics = ServerMetrics(registry: registry, version: "1.2.3", commit: "abc")
        let observer = metrics.serverObserver(listener: "webhook")
        observer.connectionOpened()
        observer.connectionOpened()
        observer.connectionClosed()
        observer.tlsHandshakeFailed(nil)
        metrics.reloaderObserver.loaded(1_800_000_000)
        metrics.reloaderObserver.refused(TLSError("bad"))
        let text = await scrape(registry)
        #expect(text.contains(#"cops_vigilante_http_open_connections{listener="webhook"} 1"#))
        #expect(text.contains(#"cops_vigilante_tls_handshake_failures_total{listener="webhook"} 1"#))
        #expect(text.contains(#"cops_vigilante_tls_certificate_reloads_total{result="success"} 1"#))
        #expect(text.contains(#"cops_vigilante_tls_certificate_reloads_total{result="failure"} 1"#))
        #expect(text.contains("cops_vigilante_tls_certificate_expiry_timestamp_seconds 1800000000"))
        #expect(text.contains(#"cops_vigilante_build_info{version="1.2.3",commit="abc"} 1"#))
    }
}
