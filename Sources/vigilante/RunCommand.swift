public import ArgumentParser
public import Logging
public import VigilanteApp

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the webhook server and the healing scheduler until SIGTERM or SIGINT."
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(help: "kubeconfig file; otherwise KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    var kubeconfig: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "text or json (one object per line).")
    var logFormat: LogFormat = .text

    func run() async throws {
        let level = logLevel
        let format = logFormat
        LoggingSystem.bootstrap { label in VigilanteLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "vigilante")

        let loaded = options.load()
        for warning in loaded.warnings {
            logger.warning("Ignoring a configuration problem", metadata: ["problem": "\(warning)"])
        }
        guard loaded.errors.isEmpty else {
            for error in loaded.errors { logger.error("Invalid configuration", metadata: ["problem": "\(error)"]) }
            logger.critical(
                "Not starting: the configuration has \(loaded.errors.count) error(s); see `vigilante check-config`")
            throw ExitCode(2)
        }

        let application = Application(configuration: loaded.configuration, kubeconfigPath: kubeconfig, logger: logger)
        do {
            try await application.run()
        } catch let error as Application.StartupError {
            logger.critical("Not starting: \(error)")
            throw ExitCode(1)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
