import Kubernetes

/// The checks that need the whole configuration (a value against another, floors and ceilings). Each problem
/// names the key, the value in effect, and what is allowed; the location is where the value was set.
struct ConfigurationValidator {
    /// Below this an interval floods the API server (the Go original refused it too).
    static let minimumInterval: Duration = .seconds(15)
    /// A full node list of a large cluster is expensive; more often than this is a mistake.
    static let minimumResyncInterval: Duration = .seconds(30)
    /// Smaller than a Node review of a real cluster.
    /// Below a second, requests in flight could never finish; beyond a few minutes, a rollout waits for nothing.
    static let shutdownTimeoutRange: ClosedRange<Duration> = .seconds(1) ... .seconds(300)
    /// A probe round a day: beyond, no window of at most a week holds the rounds that verify a node.
    static let maximumInterval: Duration = .seconds(24 * 3600)
    static let maximumHealingDuration: Duration = .seconds(7 * 24 * 3600)
    static let maximumResyncInterval: Duration = .seconds(24 * 3600)
    static let qpsRange: ClosedRange<Double> = 0.01...10_000
    static let burstRange: ClosedRange<Int> = 1...100_000
    static let errorThresholdRange: ClosedRange<Int> = 1...1000
    static let maximumSandboxTimeout: Duration = .seconds(24 * 3600)
    static let maximumRetryAfter: Duration = .seconds(24 * 3600)
    static let minimumBodyBytes = 64 * 1024
    static let maximumBodyBytes = 1 << 30

    let configuration: VigilanteConfiguration
    let origins: [String: SourceLocation]
    let writtenValues: [String: String]

    var problems: [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        func check(_ ok: Bool, _ key: String, _ value: String, _ message: String) {
            guard !ok else { return }
            let shown = writtenValues[key] ?? value
            problems.append(ConfigurationProblem(key: key, value: shown, message: message, location: origins[key]))
        }
        let config = configuration
        let unsafe = config.unsafeAllowShortIntervals

        for (key, port) in [("webhook.port", config.webhookPort), ("metrics.port", config.metrics.port)] {
            check(
                (0...65535).contains(port), key, "\(port)",
                "must be a port number from 1 to 65535, or 0 for any free port")
        }
        check(
            config.webhookPort == 0 || config.webhookPort != config.metrics.port, "metrics.port",
            "\(config.metrics.port)",
            "must differ from webhook.port (\(config.webhookPort)); both listeners cannot share a port")

        check(config.interval > .zero, "interval", config.interval.shortText, "must be longer than 0s")
        check(
            config.interval <= Self.maximumInterval, "interval", config.interval.shortText,
            "must be at most \(Self.maximumInterval.shortText)")
        check(
            unsafe || config.interval >= Self.minimumInterval || config.interval <= .zero, "interval",
            config.interval.shortText,
            "must be at least \(Self.minimumInterval.shortText): shorter intervals flood the Kubernetes API server "
                + "(set unsafe_allow_short_intervals: true to allow them, for tests and demos only)")
        check(
            Self.shutdownTimeoutRange.contains(config.shutdownTimeout), "shutdown_timeout",
            config.shutdownTimeout.shortText,
            "must be from \(Self.shutdownTimeoutRange.lowerBound.shortText) to "
                + "\(Self.shutdownTimeoutRange.upperBound.shortText), and under the pod's terminationGracePeriodSeconds"
        )
        check(
            config.snat.healingDuration > config.interval, "tasks.snat.healing_duration",
            config.snat.healingDuration.shortText,
            "must be longer than interval (\(config.interval.shortText)), or no probe round fits in the healing window")
        check(
            config.snat.healingDuration <= Self.maximumHealingDuration, "tasks.snat.healing_duration",
            config.snat.healingDuration.shortText, "must be at most \(Self.maximumHealingDuration.shortText) (a week)")
        check(
            Self.errorThresholdRange.contains(config.snat.errorThreshold), "tasks.snat.error_threshold",
            "\(config.snat.errorThreshold)",
            "must be from \(Self.errorThresholdRange.lowerBound) to \(Self.errorThresholdRange.upperBound)")
        check(
            config.snat.resyncInterval > .zero, "tasks.snat.resync_interval", config.snat.resyncInterval.shortText,
            "must be longer than 0s")
        check(
            config.snat.resyncInterval <= Self.maximumResyncInterval, "tasks.snat.resync_interval",
            config.snat.resyncInterval.shortText, "must be at most \(Self.maximumResyncInterval.shortText)")
        check(
            unsafe || config.snat.resyncInterval >= Self.minimumResyncInterval || config.snat.resyncInterval <= .zero,
            "tasks.snat.resync_interval", config.snat.resyncInterval.shortText,
            "must be at least \(Self.minimumResyncInterval.shortText): each resync lists every Windows node of the cluster "
                + "(set unsafe_allow_short_intervals: true to allow less, for tests and demos only)")
        checkSandboxVerification(config.snat, interval: config.interval, check)

        check(
            (Self.minimumBodyBytes...Self.maximumBodyBytes).contains(config.webhook.maxBodyBytes),
            "webhook.max_body_bytes",
            "\(config.webhook.maxBodyBytes)",
            "must be from \(Self.minimumBodyBytes) (64Ki) to \(Self.maximumBodyBytes) (1Gi)")
        check(
            config.webhook.maxBufferedBytes >= config.webhook.maxBodyBytes
                && config.webhook.maxBufferedBytes <= Self.maximumBodyBytes,
            "webhook.max_buffered_bytes", "\(config.webhook.maxBufferedBytes)",
            "must be from webhook.max_body_bytes (\(config.webhook.maxBodyBytes)) to \(Self.maximumBodyBytes) (1Gi): "
                + "a request of the largest allowed body must fit")
        check(
            (1...100_000).contains(config.webhook.maxConnectionsPerClient), "webhook.max_connections_per_client",
            "\(config.webhook.maxConnectionsPerClient)", "must be from 1 to 100000")
        let needsCertificate = config.tls || config.metrics.tls
        check(
            !needsCertificate || !config.webhook.certFile.isEmpty, "webhook.cert_file", "",
            "must name the certificate file when TLS is on")
        check(
            !needsCertificate || !config.webhook.keyFile.isEmpty, "webhook.key_file", "",
            "must name the key file when TLS is on")
        if let clientCA = config.webhook.clientCAFile {
            check(
                config.tls, "webhook.client_ca_file", clientCA, "needs tls: true; client certificates are part of TLS")
        }

        check(
            Self.qpsRange.contains(config.kubernetes.qps), "kubernetes.qps", "\(config.kubernetes.qps)",
            "must be from \(Self.qpsRange.lowerBound) to \(Int(Self.qpsRange.upperBound)) requests per second")
        check(
            Self.burstRange.contains(config.kubernetes.burst), "kubernetes.burst", "\(config.kubernetes.burst)",
            "must be from \(Self.burstRange.lowerBound) to \(Self.burstRange.upperBound)")

        let image = config.snat.podImage
        check(
            !image.isEmpty && !image.contains(where: \.isWhitespace), "tasks.snat.pod_image", image,
            "must be a container image reference without spaces, like mcr.microsoft.com/oss/kubernetes/pause:3.6")
        let namespace = config.snat.podNamespace
        check(
            Self.isDNSLabel(namespace), "tasks.snat.pod_namespace", namespace,
            "must be a namespace name: 1 to 63 lower case letters, digits or \"-\", starting and ending with a letter or digit"
        )
        check(
            !config.snat.evictPodsPredatingHealing || config.snat.reportPodsPredatingHealing,
            "tasks.snat.evict_pods_predating_healing", "true",
            "needs tasks.snat.report_pods_predating_healing: true (the pods evicted are the ones it finds)")
        checkLeaderElection(config.leaderElection, check)
        return problems
    }

    /// Each duration of the election from 1 s to 10 min, and client-go's order: a leader gives up
    /// (`renew_deadline`) before followers take over (`lease_duration`), and retries (`retry_period`) in between.
    private func checkLeaderElection(
        _ election: VigilanteConfiguration.LeaderElection, _ check: (Bool, String, String, String) -> Void
    ) {
        check(
            Self.isDNSLabel(election.namespace), "leader_election.namespace", election.namespace,
            "must be a namespace name: 1 to 63 lower case letters, digits or \"-\", starting and ending with a letter or digit"
        )
        check(
            Self.isDNSSubdomain(election.leaseName), "leader_election.lease_name", election.leaseName,
            "must be a Lease name: at most 253 lower case letters, digits, \"-\" or \".\", starting and ending with a "
                + "letter or digit")
        check(
            !election.identity.isEmpty && election.identity.utf8.count <= 253
                && !election.identity.unicodeScalars.contains { $0.properties.generalCategory == .control },
            "leader_election.identity", election.identity,
            "must be 1 to 253 characters without control characters (it is written into the Lease and logs)")
        let keys: [(String, Duration)] = [
            ("leader_election.lease_duration", election.leaseDuration),
            ("leader_election.renew_deadline", election.renewDeadline),
            ("leader_election.retry_period", election.retryPeriod),
        ]
        for (key, value) in keys {
            check(
                Self.electionDurationRange.contains(value), key, value.shortText,
                "must be from \(Self.electionDurationRange.lowerBound.shortText) to "
                    + "\(Self.electionDurationRange.upperBound.shortText)")
        }
        check(
            election.leaseDuration > election.renewDeadline, "leader_election.lease_duration",
            election.leaseDuration.shortText,
            "must be longer than leader_election.renew_deadline (\(election.renewDeadline.shortText)): the leader "
                + "must stop acting before another replica may take over")
        check(
            election.renewDeadline > election.retryPeriod, "leader_election.renew_deadline",
            election.renewDeadline.shortText,
            "must be longer than leader_election.retry_period (\(election.retryPeriod.shortText)), or the leader "
                + "has no second chance to renew")
    }

    static let electionDurationRange: ClosedRange<Duration> = .seconds(1) ... .seconds(600)

    static func isDNSSubdomain(_ text: String) -> Bool {
        text.utf8.count <= 253 && !text.isEmpty
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    static func isDNSLabel(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= 63 else { return false }
        let allowed = { (c: Character) in c.isASCII && (c.isLowercase || c.isNumber) }
        return allowed(first) && allowed(last) && text.allSatisfy { allowed($0) || $0 == "-" }
    }

    /// `tasks.snat.min_sandboxes`, `sandbox_timeout` and `retry_after`: each within its bounds, and the evidence
    /// asked for reachable in a window (a window holds one probe round per interval).
    private func checkSandboxVerification(
        _ snat: VigilanteConfiguration.SnatTask, interval: Duration,
        _ check: (Bool, String, String, String) -> Void
    ) {
        // Checked before the bounds are: a ratio beyond any count of probe pods stands for "more than enough".
        let ratio = interval > .zero ? (snat.healingDuration / interval).rounded(.up) : 0
        let rounds = ratio.isFinite && ratio < 1e9 ? Int(ratio) : Int(1e9)
        check(
            (1...100).contains(snat.minSandboxes), "tasks.snat.min_sandboxes", "\(snat.minSandboxes)",
            "must be from 1 to 100")
        check(
            !snat.verifySandboxes || interval <= .zero || snat.minSandboxes <= max(rounds, 1),
            "tasks.snat.min_sandboxes",
            "\(snat.minSandboxes)",
            "must be at most \(rounds): a window of \(snat.healingDuration.shortText) holds \(rounds) probe rounds of "
                + "interval \(interval.shortText)")
        check(
            snat.sandboxTimeout >= interval && snat.sandboxTimeout <= Self.maximumSandboxTimeout,
            "tasks.snat.sandbox_timeout", snat.sandboxTimeout.shortText,
            "must be from interval (\(interval.shortText)) to \(Self.maximumSandboxTimeout.shortText): a busy Windows "
                + "node can take a minute to create a sandbox")
        check(
            snat.retryAfter >= interval && snat.retryAfter <= Self.maximumRetryAfter, "tasks.snat.retry_after",
            snat.retryAfter.shortText,
            "must be from interval (\(interval.shortText)) to \(Self.maximumRetryAfter.shortText)")
    }
}
