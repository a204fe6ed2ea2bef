public import Logging
import ServiceLifecycle
import UnixSignals

/// The running product: every service in order, stopped gracefully on SIGTERM or SIGINT.
public struct Application: Sendable {
    public let configuration: VigilanteConfiguration
    /// The kubeconfig given with `--kubeconfig`, if any; the client of issue 4 resolves the SPEC's order.
    public let kubeconfigPath: String?
    private let logger: Logger

    public init(configuration: VigilanteConfiguration, kubeconfigPath: String?, logger: Logger) {
        self.configuration = configuration
        self.kubeconfigPath = kubeconfigPath
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT, then returns once every service has stopped.
    public func run() async throws {
        var metadata: Logger.Metadata = ["version": "\(BuildInfo.version)", "commit": "\(BuildInfo.commit)"]
        for (key, value) in configuration.keyValues { metadata[key] = "\(value)" }
        metadata["kubeconfig"] = "\(kubeconfigPath ?? "(default search)")"
        logger.info("Starting cops-vigilante with the effective configuration", metadata: metadata)

        // TODO(#3): the webhook and metrics listeners join this list; TODO(#5): the healing scheduler.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [AwaitShutdownService(logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("Stopped cleanly")
    }
}

/// Holds the service group open until a graceful shutdown is asked for.
struct AwaitShutdownService: Service {
    let logger: Logger

    func run() async throws {
        // The service group has installed its signal handlers by the time services run: tests wait for this line.
        logger.info("Running; waiting for SIGTERM or SIGINT")
        try? await gracefulShutdown()
    }
}
