public import HTTPServer
public import Prometheus

/// Adds the health paths (`/healthz`: the process answers; `/readyz`: every readiness condition is met) and,
/// on the metrics listener, `/metrics`.
public enum HealthEndpoints {
    public static func addHealth(to router: inout HTTPRouter, readiness: Readiness, extraPaths: [String] = []) {
        for path in ["/healthz"] + extraPaths {
            router.addOnLoop("GET", path) { _ in .text(.ok, "ok\n") }
        }
        router.addOnLoop("GET", "/readyz") { _ in
            let pending = readiness.pending
            return pending.isEmpty
                ? .text(.ok, "ok\n")
                : .text(.serviceUnavailable, "not ready: waiting for \(pending.joined(separator: ", "))\n")
        }
    }

    /// `extraExposition` writes metrics the registry cannot express (the untyped v1.2.1 counters). A task route,
    /// never answered on the event loop: the process metrics read `/proc`, which is I/O.
    public static func addMetrics(
        to router: inout HTTPRouter, registry: PrometheusCollectorRegistry,
        extraExposition: @escaping @Sendable (inout [UInt8]) -> Void = { _ in }
    ) {
        router.add("GET", "/metrics") { _ in
            var body: [UInt8] = []
            body.reserveCapacity(16 * 1024)
            registry.emit(into: &body)
            extraExposition(&body)
            ProcessMetrics.emit(into: &body)
            return HTTPResponse(
                status: .ok, headers: HTTPHeaders([("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]),
                body: body)
        }
    }
}
