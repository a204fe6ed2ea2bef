import HTTPServer
import Monitoring
public import Prometheus
import Webhook

/// Every metric of the product on one registry: each component declares its own on the registry passed in
/// (no global registry). Tests build it the same way to check the whole exposition.
public struct AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let server: ServerMetrics
    let webhook: WebhookMetrics
    let webhookListener: HTTPServerObserver
    let metricsListener: HTTPServerObserver

    public init(version: String = BuildInfo.version, commit: String = BuildInfo.commit) {
        registry = PrometheusCollectorRegistry()
        server = ServerMetrics(registry: registry, version: version, commit: commit)
        webhook = WebhookMetrics(registry: registry)
        webhookListener = server.serverObserver(listener: "webhook")
        metricsListener = server.serverObserver(listener: "metrics")
    }
}
