import ArgumentParser
import VigilanteApp

/// The flags that override configuration keys, shared by `run` and `check-config` so that `check-config` with
/// the same flags shows exactly what `run` would use.
struct ConfigurationOptions: ParsableArguments {
    @Option(
        help: "Read only this configuration file instead of /etc/vigilante/config/conf.yaml and ./config/conf.yaml.")
    var config: String?

    @Flag(name: [.customShort("t"), .long], inversion: .prefixedNo, help: "Serve the webhook over HTTPS (key: tls).")
    var tls: Bool?

    @Option(
        name: [.customShort("i"), .long], help: "Seconds between probe rounds, or a duration like 30s (key: interval).")
    var interval: String?

    @Option(help: "Port of the webhook listener; 0 picks a free port (key: webhook.port).")
    var webhookPort: String?

    @Option(help: "Port of the metrics and health listener; 0 picks a free port (key: metrics.port).")
    var metricsPort: String?

    @Option(help: "PEM certificate chain of the webhook (key: webhook.cert_file).")
    var certFile: String?

    @Option(help: "PEM private key of the webhook (key: webhook.key_file).")
    var keyFile: String?

    @Flag(help: "Write nothing to the cluster; log and count each write that would have happened (key: dry_run).")
    var dryRun = false

    var overrides: [ConfigurationOverride] {
        let given: [(String, String?, String)] = [
            ("tls", tls.map { "\($0)" }, tls == false ? "--no-tls" : "--tls"),
            ("interval", interval, "--interval"),
            ("webhook.port", webhookPort, "--webhook-port"),
            ("metrics.port", metricsPort, "--metrics-port"),
            ("webhook.cert_file", certFile, "--cert-file"),
            ("webhook.key_file", keyFile, "--key-file"),
            ("dry_run", dryRun ? "true" : nil, "--dry-run"),
        ]
        return given.compactMap { key, value, flag in
            value.map { ConfigurationOverride(key: key, value: $0, flag: flag) }
        }
    }

    func load() -> LoadedConfiguration {
        ConfigurationLoader(explicitPath: config).load(overrides: overrides)
    }
}
