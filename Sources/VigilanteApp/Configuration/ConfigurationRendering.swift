import Foundation
import Kubernetes

/// The effective configuration written out, for `check-config` and the start-up log. The YAML form is itself a
/// valid configuration file that loads back to the same values.
extension VigilanteConfiguration {
    /// Every key with its value in effect, in the order of the template.
    public var keyValues: [(key: String, value: String)] {
        return [
            ("tls", "\(tls)"),
            ("interval", interval.shortText),
            ("unsafe_allow_short_intervals", "\(unsafeAllowShortIntervals)"),
            ("shutdown_timeout", shutdownTimeout.shortText),
            ("dry_run", "\(dryRun)"),
            ("webhook.port", "\(webhookPort)"),
            ("webhook.cert_file", webhook.certFile),
            ("webhook.key_file", webhook.keyFile),
            ("webhook.client_ca_file", webhook.clientCAFile ?? ""),
            ("webhook.max_body_bytes", "\(webhook.maxBodyBytes)"),
            ("webhook.max_buffered_bytes", "\(webhook.maxBufferedBytes)"),
            ("webhook.max_connections_per_client", "\(webhook.maxConnectionsPerClient)"),
            ("metrics.port", "\(metrics.port)"),
            ("metrics.tls", "\(metrics.tls)"),
            ("kubernetes.qps", Self.formatNumber(kubernetes.qps)),
            ("kubernetes.burst", "\(kubernetes.burst)"),
            ("tasks.snat.enabled", "\(snat.enabled)"),
            ("tasks.snat.healing_duration", snat.healingDuration.shortText),
            ("tasks.snat.error_threshold", "\(snat.errorThreshold)"),
            ("tasks.snat.resync_interval", snat.resyncInterval.shortText),
            ("tasks.snat.pod_image", snat.podImage),
            ("tasks.snat.pod_namespace", snat.podNamespace),
            ("tasks.snat.healing_pod_tolerations", Self.flow(snat.healingPodTolerations)),
            ("tasks.snat.verify_sandboxes", "\(snat.verifySandboxes)"),
            ("tasks.snat.min_sandboxes", "\(snat.minSandboxes)"),
            ("tasks.snat.sandbox_timeout", snat.sandboxTimeout.shortText),
            ("tasks.snat.retry_after", snat.retryAfter.shortText),
            ("tasks.snat.paused", "\(snat.paused)"),
            ("tasks.snat.startup_taint", snat.startupTaint.map { "\($0)" } ?? ""),
            ("tasks.snat.report_pods_predating_healing", "\(snat.reportPodsPredatingHealing)"),
            ("tasks.snat.evict_pods_predating_healing", "\(snat.evictPodsPredatingHealing)"),
            ("leader_election.enabled", "\(leaderElection.enabled)"),
            ("leader_election.namespace", leaderElection.namespace),
            ("leader_election.lease_name", leaderElection.leaseName),
            ("leader_election.identity", leaderElection.identity),
            ("leader_election.lease_duration", leaderElection.leaseDuration.shortText),
            ("leader_election.renew_deadline", leaderElection.renewDeadline.shortText),
            ("leader_election.retry_period", leaderElection.retryPeriod.shortText),
        ]
    }

    /// A YAML document of every key, nested as in the file.
    public var yamlText: String {
        var lines: [String] = []
        var openSections: [Substring] = []
        for (key, value) in keyValues {
            let parts = key.split(separator: ".")
            let sections = Array(parts.dropLast())
            var common = 0
            while common < min(sections.count, openSections.count) && sections[common] == openSections[common] {
                common += 1
            }
            for depth in common..<sections.count {
                lines.append(String(repeating: "  ", count: depth) + "\(sections[depth]):")
            }
            openSections = sections
            let rendered = key == "webhook.client_ca_file" && value.isEmpty ? "null" : Self.yamlScalar(value, key: key)
            lines.append(String(repeating: "  ", count: sections.count) + "\(parts.last ?? ""): \(rendered)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON for tools (the chart's tests): the configuration, and the endpoints the listeners will serve.
    public var jsonText: String {
        let document: [String: Any] = [
            "configuration": [
                "tls": tls, "interval": interval.shortText, "unsafe_allow_short_intervals": unsafeAllowShortIntervals,
                "shutdown_timeout": shutdownTimeout.shortText, "dry_run": dryRun,
                "webhook": [
                    "port": webhookPort, "cert_file": webhook.certFile, "key_file": webhook.keyFile,
                    "client_ca_file": webhook.clientCAFile.map { $0 as Any } ?? NSNull(),
                    "max_body_bytes": webhook.maxBodyBytes, "max_buffered_bytes": webhook.maxBufferedBytes,
                    "max_connections_per_client": webhook.maxConnectionsPerClient,
                ] as [String: Any],
                "metrics": ["port": metrics.port, "tls": metrics.tls] as [String: Any],
                "kubernetes": ["qps": kubernetes.qps, "burst": kubernetes.burst] as [String: Any],
                "tasks": [
                    "snat": [
                        "enabled": snat.enabled, "healing_duration": snat.healingDuration.shortText,
                        "error_threshold": snat.errorThreshold, "resync_interval": snat.resyncInterval.shortText,
                        "pod_image": snat.podImage, "pod_namespace": snat.podNamespace,
                        "healing_pod_tolerations": snat.healingPodTolerations.map(Self.jsonObject),
                        "verify_sandboxes": snat.verifySandboxes, "min_sandboxes": snat.minSandboxes,
                        "sandbox_timeout": snat.sandboxTimeout.shortText, "retry_after": snat.retryAfter.shortText,
                        "paused": snat.paused, "startup_taint": snat.startupTaint.map { "\($0)" } ?? "",
                        "report_pods_predating_healing": snat.reportPodsPredatingHealing,
                        "evict_pods_predating_healing": snat.evictPodsPredatingHealing,
                    ] as [String: Any]
                ],
                "leader_election": [
                    "enabled": leaderElection.enabled, "namespace": leaderElection.namespace,
                    "lease_name": leaderElection.leaseName, "identity": leaderElection.identity,
                    "lease_duration": leaderElection.leaseDuration.shortText,
                    "renew_deadline": leaderElection.renewDeadline.shortText,
                    "retry_period": leaderElection.retryPeriod.shortText,
                ] as [String: Any],
            ] as [String: Any],
            "endpoints": [
                "webhook": ["port": webhookPort, "scheme": tls ? "https" : "http", "paths": Endpoints.webhookPaths]
                    as [String: Any],
                "metrics": [
                    "port": metrics.port, "scheme": metrics.tls ? "https" : "http", "paths": Endpoints.metricsPaths,
                ]
                    as [String: Any],
            ],
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
    }

    private static func formatNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
    }

    private static func jsonObject(_ toleration: Toleration) -> [String: Any] {
        var object: [String: Any] = [:]
        object["key"] = toleration.key
        object["operator"] = toleration.operator?.rawValue
        object["value"] = toleration.value
        object["effect"] = toleration.effect?.rawValue
        object["tolerationSeconds"] = toleration.tolerationSeconds
        return object
    }

    private static func flow(_ tolerations: [Toleration]) -> String {
        let items = tolerations.map { toleration in
            let object = jsonObject(toleration)
            let fields = ["key", "operator", "value", "effect", "tolerationSeconds"].compactMap { name in
                object[name].map { "\(name): \($0 is String ? JSONString.quoted("\($0)") : "\($0)")" }
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// Strings are quoted when YAML would otherwise read them as something else.
    private static func yamlScalar(_ value: String, key: String) -> String {
        let stringKeys: Set = [
            "webhook.cert_file", "webhook.key_file", "webhook.client_ca_file", "tasks.snat.pod_image",
            "tasks.snat.pod_namespace", "tasks.snat.startup_taint", "leader_election.namespace",
            "leader_election.lease_name",
            "leader_election.identity",
        ]
        return stringKeys.contains(key) ? JSONString.quoted(value) : value
    }

}

/// The paths each listener serves (README, "Endpoints").
public enum Endpoints {
    public static let validatePath = "/validate"
    public static let webhookPaths = [validatePath, "/healthz", "/readyz", "/health"]
    public static let metricsPaths = ["/metrics", "/healthz", "/readyz"]
}
