import Foundation
import HTTPServer
import Healing
import Kubernetes
import KubernetesClient
import LeaderElection
public import Logging
import Monitoring
import Webhook

/// The running product: one metrics registry, and the listeners, the certificate reloader and the healing
/// scheduler as services, started in order (metrics, reloader, scheduler, webhook) and stopped in reverse on
/// SIGTERM or SIGINT, so the webhook drains first while health and metrics answer until the end.
public struct Application: Sendable {
    public let configuration: VigilanteConfiguration
    /// The kubeconfig given with `--kubeconfig`, if any; otherwise the cluster config loader
    /// searches `KUBECONFIG`, `~/.kube/config` and the in-cluster service account.
    public let kubeconfigPath: String?
    private let logger: Logger

    /// How often the certificate files are compared with the pair in use.
    static let certificateCheckInterval: Duration = .seconds(5)

    public init(configuration: VigilanteConfiguration, kubeconfigPath: String?, logger: Logger) {
        self.configuration = configuration
        self.kubeconfigPath = kubeconfigPath
        self.logger = logger
    }

    /// Fails before serving anything when the certificate cannot be loaded.
    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs until SIGTERM or SIGINT, then returns once every service has stopped.
    public func run() async throws {
        logStart()
        let fileDescriptorLimit = ProcessLimits.raiseFileDescriptorLimit()
        logger.debug("File descriptor limit raised", metadata: ["limit": "\(fileDescriptorLimit)"])

        let metrics = AppMetrics()
        let readiness = Readiness()
        var services: [any LifecycleService] = []
        let loopEnds = LoopEnds()

        var reloader: CertificateReloader?
        // The certificate is loaded (or start-up fails) before any listener exists, so `/readyz` needs no
        // condition for it.
        if configuration.tls || configuration.metrics.tls {
            do {
                reloader = try CertificateReloader(
                    certificateFile: configuration.webhook.certFile, keyFile: configuration.webhook.keyFile,
                    clientCAFile: configuration.tls ? configuration.webhook.clientCAFile : nil,
                    observer: metrics.server.reloaderObserver, logger: logger)
            } catch {
                throw StartupError(description: "cannot load the TLS certificate: \(error)")
            }
        }

        var metricsRouter = HTTPRouter()
        HealthEndpoints.addHealth(to: &metricsRouter, readiness: readiness)
        HealthEndpoints.addMetrics(
            to: &metricsRouter, registry: metrics.registry, extraExposition: metrics.extraExposition)
        services.append(
            makeServer(
                "metrics", port: configuration.metrics.port, router: metricsRouter,
                tls: configuration.metrics.tls ? reloader : nil,
                observer: metrics.metricsListener, configure: Self.limitMetricsListener))

        if let reloader {
            services.append(
                BackgroundService("certificate reloader", loopEnds: loopEnds, logger: logger) {
                    await reloader.run(every: Self.certificateCheckInterval)
                })
        }

        var sink: any NodeEventSink = LoggingNodeEventSink(logger: logger)
        if configuration.snat.enabled {
            let client = try makeClient(metrics: metrics)
            var api: any KubernetesAPI = client
            if configuration.dryRun {
                logger.notice(
                    "Dry run (dry_run: true): nothing is written to the cluster; each write is logged instead")
                api = DryRunWrites(api: client, registry: metrics.registry, logger: logger)
            }
            metrics.healing.setPaused(configuration.snat.paused)
            metrics.healing.setHealingDuration(configuration.snat.healingDuration)
            if configuration.snat.paused {
                logger.notice(
                    "Healing is paused (tasks.snat.paused: true): no window starts and no probe pod is made; callbacks, resyncs and metrics go on"
                )
            }
            if configuration.leaderElection.enabled {
                let healing = makeElectedHealing(client: client, api: api, metrics: metrics, readiness: readiness)
                services.append(
                    BackgroundService("leader election", loopEnds: loopEnds, logger: logger) { await healing.run() })
                sink = LeaderNodeEventSink(healing: healing)
            } else {
                metrics.leaderElection.markSoleReplica()
                readiness.register("first node sync")
                let scheduler = HealingScheduler(
                    api: api, clock: SystemWallClock(), configuration: healingConfiguration,
                    metrics: metrics.healing, logger: logger,
                    onFirstResync: { readiness.markMet("first node sync") })
                services.append(
                    BackgroundService("healing scheduler", loopEnds: loopEnds, logger: logger) {
                        await scheduler.run()
                    })
                sink = SchedulerNodeEventSink(scheduler: scheduler)
            }
        } else {
            logger.notice("The SNAT healing task is off (tasks.snat.enabled: false); the webhook still answers")
        }

        let webhook = AdmissionWebhook(sink: sink, metrics: metrics.webhook, logger: logger)
        var webhookRouter = HTTPRouter()
        webhookRouter.addOnLoop("POST", Endpoints.validatePath) { request in webhook.handle(request) }
        HealthEndpoints.addHealth(to: &webhookRouter, readiness: readiness, extraPaths: ["/health"])
        services.append(
            makeServer(
                "webhook", port: configuration.webhookPort, router: webhookRouter,
                tls: configuration.tls ? reloader : nil,
                observer: metrics.webhookListener, configure: limitWebhookListener))

        try await ServiceRunner.run(
            services, loopEnds: loopEnds, stopTimeout: configuration.shutdownTimeout, logger: logger)
        logger.info("Stopped cleanly")
    }

    private func loadClusterConfig() throws -> ClusterConfig {
        do {
            return try ClusterConfigLoader(explicitPath: kubeconfigPath).load()
        } catch {
            throw StartupError(description: "cannot load the Kubernetes configuration: \(error)")
        }
    }

    /// The client the healing scheduler uses, rate-limited by `kubernetes.qps` and `kubernetes.burst`.
    private func makeClient(metrics: AppMetrics) throws -> CurlKubernetesClient {
        let clusterConfig = try loadClusterConfig()
        logger.info("Kubernetes API", metadata: ["cluster": "\(clusterConfig)"])
        return CurlKubernetesClient(
            config: clusterConfig, version: BuildInfo.version,
            options: KubernetesClientOptions(
                qps: configuration.kubernetes.qps, burst: configuration.kubernetes.burst,
                userAgentComment: userAgentComment),
            registry: metrics.registry, logger: logger)
    }

    /// With leader election, the replica's identity in the User-Agent tells the replicas apart in audit logs.
    private var userAgentComment: String? {
        configuration.leaderElection.enabled ? configuration.leaderElection.identity : nil
    }

    private var healingConfiguration: HealingConfiguration {
        let snat = configuration.snat
        var healing = HealingConfiguration(
            interval: configuration.interval, window: snat.healingDuration, errorThreshold: snat.errorThreshold,
            resyncInterval: snat.resyncInterval,
            probePod: ProbePod(
                image: snat.podImage, namespace: snat.podNamespace,
                // Probe pods must reach a node that still carries the startup taint: that is when it needs them.
                tolerations: snat.healingPodTolerations + (snat.startupTaint.map { [$0.toleration] } ?? [])),
            reportingInstance: configuration.leaderElection.enabled
                ? configuration.leaderElection.identity
                : ProcessInfo.processInfo.environment["HOSTNAME"] ?? "cops-vigilante")
        healing.verifySandboxes = snat.verifySandboxes
        healing.minSandboxes = snat.minSandboxes
        healing.sandboxTimeout = snat.sandboxTimeout
        healing.retryAfter = snat.retryAfter
        healing.paused = snat.paused
        healing.startupTaint = snat.startupTaint
        healing.reportPodsPredatingHealing = snat.reportPodsPredatingHealing
        healing.evictPodsPredatingHealing = snat.evictPodsPredatingHealing
        return healing
    }

    /// The elector on a client of its own (its renewals never wait behind healing's requests in one rate
    /// limiter), and a scheduler per term whose writes pass only while the term lasts. `/readyz` waits for the
    /// Lease to have been read once (the API server answers), never for leadership.
    private func makeElectedHealing(
        client: CurlKubernetesClient, api: any KubernetesAPI, metrics: AppMetrics, readiness: Readiness
    ) -> LeaderElectedHealing {
        let election = configuration.leaderElection
        let leaseClient = CurlKubernetesClient(
            config: client.config, version: BuildInfo.version,
            options: KubernetesClientOptions(
                qps: 5, burst: 10, requestTimeout: election.renewDeadline, maxIdleConnections: 1,
                maxBodyBytes: 1 << 20, userAgentComment: userAgentComment),
            logger: logger)
        readiness.register("Lease read")
        let elector = LeaderElector(
            api: leaseClient, clock: SystemElectionClock(),
            configuration: LeaderElectionConfiguration(
                namespace: election.namespace, leaseName: election.leaseName, identity: election.identity,
                leaseDuration: election.leaseDuration, renewDeadline: election.renewDeadline,
                retryPeriod: election.retryPeriod),
            metrics: metrics.leaderElection, logger: logger, onFirstContact: { readiness.markMet("Lease read") })
        let api = LeaderOnlyWrites(api: api, leadership: elector.leadership)
        let healingConfiguration = self.healingConfiguration
        let logger = self.logger
        let healingMetrics = metrics.healing
        return LeaderElectedHealing(
            elector: elector, metrics: healingMetrics,
            makeScheduler: {
                HealingScheduler(
                    api: api, clock: SystemWallClock(), configuration: healingConfiguration, metrics: healingMetrics,
                    logger: logger)
            },
            makeWatch: { scheduler in
                WindowsNodeWatch(api: client, scheduler: scheduler, clock: SystemWallClock(), logger: logger)
            })
    }

    /// The webhook's limits come from the configuration (`webhook.*`); the connection limit is the server's default.
    private func limitWebhookListener(_ server: inout HTTPServerConfiguration) {
        server.maxConnectionsPerClient = configuration.webhook.maxConnectionsPerClient
        server.maxBodyBytes = configuration.webhook.maxBodyBytes
        server.maxBufferedBytes = configuration.webhook.maxBufferedBytes
    }

    /// The metrics listener serves Prometheus and the kubelet's probes, a handful of clients sending no bodies: a
    /// limit of its own, far smaller than the webhook's, so that a flood of either port leaves `/healthz` answering.
    static func limitMetricsListener(_ server: inout HTTPServerConfiguration) {
        server.maxConnections = 512
        server.maxConnectionsPerClient = 64
        server.maxBodyBytes = 64 * 1024
        server.maxBufferedBytes = 4 * 1024 * 1024
    }

    private func makeServer(
        _ name: String, port: Int, router: HTTPRouter, tls reloader: CertificateReloader?,
        observer: HTTPServerObserver, configure: (inout HTTPServerConfiguration) -> Void
    ) -> HTTPServerService {
        var serverConfiguration = HTTPServerConfiguration(port: port)
        configure(&serverConfiguration)
        var contextSource: (@Sendable () -> TLSContext)?
        if let reloader {
            contextSource = { reloader.current }
        }
        // Failed handshakes are counted by the metrics' observer; at debug level, also logged with their reason, at
        // most one line a second (anyone can send garbage to the port as often as they like).
        var observer = observer
        let count = observer.tlsHandshakeFailed
        let handshakeLog = RateLimitedLog(logger: logger)
        observer.tlsHandshakeFailed = { error in
            count(error)
            handshakeLog.debug(
                "TLS handshake failed",
                metadata: [
                    "listener": "\(name)",
                    "reason": "\(error.map { "\($0)" } ?? "the peer closed the connection during the handshake")",
                ])
        }
        let server = HTTPServer(
            configuration: serverConfiguration, handler: router, tlsContext: contextSource, observer: observer,
            logger: logger)
        return HTTPServerService(name: name, server: server, scheme: reloader == nil ? "http" : "https", logger: logger)
    }

    private func logStart() {
        var metadata: Logger.Metadata = ["version": "\(BuildInfo.version)", "commit": "\(BuildInfo.commit)"]
        for (key, value) in configuration.keyValues { metadata[key] = "\(value)" }
        metadata["kubeconfig"] = "\(kubeconfigPath ?? "(default search)")"
        logger.info("Starting cops-vigilante with the effective configuration", metadata: metadata)
    }
}
