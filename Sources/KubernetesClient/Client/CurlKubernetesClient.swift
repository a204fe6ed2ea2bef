public import Kubernetes
public import Logging
public import Prometheus

/// The Kubernetes API over HTTPS with libcurl: the calls of `KubernetesAPI`, with the cluster's CA and
/// credentials from a `ClusterConfig`, connection reuse, retries with backoff and jitter, a client-side rate
/// limit, the token file re-read, and request metrics. Safe to use from many tasks at once.
///
/// Logs name the call (verb, method, path, attempt) and never a token, key or body.
public final class CurlKubernetesClient: KubernetesAPI {
    /// The config it was made with; its `description` shows no secret.
    public let config: ClusterConfig
    let executor: RequestExecutor

    /// - Parameters:
    ///   - version: this product's version, sent as `User-Agent: cops-vigilante/<version>`.
    ///   - registry: where `cops_vigilante_kube_api_*` are declared; a private one when not given.
    public init(
        config: ClusterConfig, version: String, options: KubernetesClientOptions = KubernetesClientOptions(),
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger
    ) {
        self.config = config
        let settings = CurlSettings(
            server: config.server, certificateAuthorityPEM: config.certificateAuthorityPEM,
            clientCertificatePEM: config.clientCertificatePEM, clientKeyPEM: config.clientKeyPEM,
            insecureSkipTLSVerify: config.insecureSkipTLSVerify, connectTimeout: options.connectTimeout,
            requestTimeout: options.requestTimeout,
            userAgent: "cops-vigilante/\(version)" + (options.userAgentComment.map { " (\($0))" } ?? ""),
            maxBodyBytes: options.maxBodyBytes)
        executor = RequestExecutor(
            transport: CurlTransport(settings: settings, maxIdleConnections: options.maxIdleConnections),
            tokens: TokenSource(
                config.token, refreshInterval: options.tokenRefreshInterval, clock: options.clock, logger: logger),
            rateLimiter: RateLimiter(qps: options.qps, burst: options.burst, clock: options.clock),
            policy: options.retry, clock: options.clock, random: options.random,
            metrics: KubernetesClientMetrics(registry: registry), logger: logger)
    }

    /// A client over another transport (tests script the answers).
    init(config: ClusterConfig, executor: RequestExecutor) {
        self.config = config
        self.executor = executor
    }
}
