import HTTPServer
import Healing
import LeaderElection
import Monitoring
public import Prometheus
import Webhook

/// Every metric of the product on one registry: each component declares its own on the registry passed in
/// (no global registry). Tests build it the same way to check the whole exposition.
public struct AppMetrics: Sendable {
    /// Writes what the registry cannot: the v1.2.1 counters, untyped (see `HealingMetrics`).
    public var extraExposition: @Sendable (inout [UInt8]) -> Void {
        let healing = self.healing
        return { buffer in healing.emitCompatibilityCounters(into: &buffer) }
    }

    public let registry: PrometheusCollectorRegistry
    let server: ServerMetrics
    let webhook: WebhookMetrics
    let healing: HealingMetrics
    let leaderElection: LeaderElectionMetrics
    let webhookListener: HTTPServerObserver
    let metricsListener: HTTPServerObserver

    public init(version: String = BuildInfo.version, commit: String = BuildInfo.commit) {
        registry = PrometheusCollectorRegistry()
        server = ServerMetrics(registry: registry, version: version, commit: commit)
        webhook = WebhookMetrics(registry: registry)
        healing = HealingMetrics(registry: registry)
        leaderElection = LeaderElectionMetrics(registry: registry)
        webhookListener = server.serverObserver(listener: "webhook")
        metricsListener = server.serverObserver(listener: "metrics")
    }
}
