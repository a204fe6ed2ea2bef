public import HTTPServer
public import Prometheus

/// Metrics of the listeners and the certificate: open connections, TLS handshake failures, certificate expiry
/// and reloads, and the build. Hands out the observers the HTTP server and the certificate reloader report to.
public struct ServerMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let expiry: Gauge
    private let reloadsSucceeded: Counter
    private let reloadsRefused: Counter

    public init(registry: PrometheusCollectorRegistry, version: String, commit: String) {
        self.registry = registry
        expiry = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_tls_certificate_expiry_timestamp_seconds", unitName: "",
                helpText: "notAfter of the serving certificate in use, seconds since 1970."))
        let reloads = MetricNameDescriptor(
            metricName: "cops_vigilante_tls_certificate_reloads_total", unitName: "",
            helpText: "Certificate pairs loaded from disk (the first load included) or refused.")
        reloadsSucceeded = registry.makeCounter(descriptor: reloads, labels: [("result", "success")])
        reloadsRefused = registry.makeCounter(descriptor: reloads, labels: [("result", "failure")])
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_build_info", unitName: "", helpText: "The running build; always 1."),
            labels: [("version", version), ("commit", commit)]
        ).set(to: 1)
    }

    /// An observer for one listener (`webhook` or `metrics`).
    public func serverObserver(listener: String) -> HTTPServerObserver {
        let open = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_http_open_connections", unitName: "",
                helpText: "Open client connections, by listener."), labels: [("listener", listener)])
        let handshakeFailures = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cops_vigilante_tls_handshake_failures_total", unitName: "",
                helpText:
                    "TLS handshakes that failed (bad client hello, protocol or cipher mismatch, client certificate refused)."
            ), labels: [("listener", listener)])
        var shed: [ConnectionShedReason: Counter] = [:]
        for reason in ConnectionShedReason.allCases {
            shed[reason] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "cops_vigilante_http_connections_shed_total", unitName: "",
                    helpText:
                        "Connections refused or closed early to keep serving: per_client_limit (its address held its "
                        + "limit), idle_evicted and silent_evicted (the oldest idle one, else the oldest that had "
                        + "sent nothing, at the connection limit), buffer_budget (503: request "
                        + "bytes over the budget), handshake_timeout and head_timeout (no TLS handshake, or no request "
                        + "head, within the head timeout of the accept)."),
                labels: [("listener", listener), ("reason", reason.rawValue)])
        }
        let shedCounters = shed
        return HTTPServerObserver(
            connectionOpened: { open.increment() },
            connectionClosed: { open.decrement() },
            tlsHandshakeFailed: { _ in handshakeFailures.increment() },
            connectionShed: { shedCounters[$0]?.increment() })
    }

    public var reloaderObserver: CertificateReloader.Observer {
        let expiry = self.expiry
        let succeeded = reloadsSucceeded
        let refused = reloadsRefused
        return CertificateReloader.Observer(
            loaded: { notAfter in
                expiry.set(to: Double(notAfter))
                succeeded.increment()
            },
            refused: { _ in refused.increment() })
    }
}
