import KubernetesClient
import Logging
import Prometheus

/// Clients for the tests against the fake: quick retries (50 ms doubling) so that backoff tests stay short, and
/// no practical rate limit unless a test sets one.
enum TestClients {
    static let version = "9.9.9-test"

    static var quickOptions: KubernetesClientOptions {
        KubernetesClientOptions(
            qps: 10_000, burst: 10_000,
            retry: RetryPolicy(
                maxAttempts: 4, initialDelay: .milliseconds(50), maxDelay: .seconds(1), maxTotal: .seconds(20),
                jitter: 0.5),
            connectTimeout: .seconds(5), requestTimeout: .seconds(20))
    }

    static func client(
        kubeconfig: String, options: KubernetesClientOptions = quickOptions,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws -> CurlKubernetesClient {
        let config = try ClusterConfigLoader(explicitPath: kubeconfig, environment: [:]).load()
        return CurlKubernetesClient(
            config: config, version: version, options: options, registry: registry, logger: logger)
    }
}
