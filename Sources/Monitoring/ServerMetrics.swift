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
            name: "cops_vigilante_tls_certificate_expiry_timestamp_seconds",
            help: "notAfter of the serving certificate in use, seconds since 1970.")
        reloadsSucceeded = registry.makeCounter(
            name: "cops_vigilante_tls_certificate_reloads_total",
            labels: [("result", "success")],
            help: "Certificate pairs loaded from disk (the first load included) or refused.")
        reloadsRefused = registry.makeCounter(
            name: "cops_vigilante_tls_certificate_reloads_total",
            labels: [("result", "failure")],
            help: "Certificate pairs loaded from disk (the first load included) or refused.")
        registry.makeGauge(
            name: "cops_vigilante_build_info",
            labels: [("version", version), ("commit", commit)], help: "The running build; always 1."
        ).set(to: 1)
    }

    /// An observer for one listener (`webhook` or `metrics`).
    public func serverObserver(listener: String) -> HTTPServerObserver {
        let open = registry.makeGauge(
            name: "cops_vigilante_http_open_connections",
            labels: [("listener", listener)], help: "Open client connections, by listener.")
        let handshakeFailures = registry.makeCounter(
            name: "cops_vigilante_tls_handshake_failures_total", labels: [("listener", listener)],
            help:
                "TLS handshakes that failed (bad client hello, protocol or cipher mismatch, client certificate refused)."
        )
        return HTTPServerObserver(
            connectionOpened: { open.increment() },
            connectionClosed: { open.decrement() },
            tlsHandshakeFailed: { _ in handshakeFailures.increment() })
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
