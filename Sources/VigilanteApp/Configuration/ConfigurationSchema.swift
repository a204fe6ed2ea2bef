import Kubernetes
import Yams

/// Every configuration key: its dotted name, what it accepts, and where it goes in `VigilanteConfiguration`.
/// The README's configuration reference and `config/conf.template.yaml` list the same keys.
enum ConfigurationSchema {
    struct Key: Sendable {
        let name: String
        let apply: @Sendable (Yams.Node, inout VigilanteConfiguration) -> [Failure]
    }

    /// Why a value could not be applied: the value as written and what is allowed.
    struct Failure: Error {
        var value: String
        /// Completes "must be …"; ignored when `rule` is set.
        var allowed: String = ""
        /// A whole sentence, for rules that are not a form (the toleration checks).
        var rule: String? = nil
        /// Where inside the key's value, for lists: `[1].operator`.
        var subpath = ""
        var mark: Mark? = nil
    }

    static let keys: [Key] = [
        Key(name: "tls") { node, config in bool(node) { config.tls = $0 } },
        Key(name: "interval") { node, config in duration(node) { config.interval = $0 } },
        Key(name: "unsafe_allow_short_intervals") { node, config in bool(node) { config.unsafeAllowShortIntervals = $0 }
        },
        Key(name: "shutdown_timeout") { node, config in duration(node) { config.shutdownTimeout = $0 } },
        Key(name: "dry_run") { node, config in bool(node) { config.dryRun = $0 } },
        Key(name: "webhook.port") { node, config in
            int(node, "a port number, 0 to 65535") { config.webhook.explicitPort = $0 }
        },
        Key(name: "webhook.cert_file") { node, config in string(node) { config.webhook.certFile = $0 } },
        Key(name: "webhook.key_file") { node, config in string(node) { config.webhook.keyFile = $0 } },
        Key(name: "webhook.client_ca_file") { node, config in string(node) { config.webhook.clientCAFile = $0 } },
        Key(name: "webhook.max_body_bytes") { node, config in byteCount(node) { config.webhook.maxBodyBytes = $0 } },
        Key(name: "webhook.max_buffered_bytes") { node, config in
            byteCount(node) { config.webhook.maxBufferedBytes = $0 }
        },
        Key(name: "webhook.max_connections_per_client") { node, config in
            int(node, "a whole number of connections") { config.webhook.maxConnectionsPerClient = $0 }
        },
        Key(name: "metrics.port") { node, config in int(node, "a port number, 0 to 65535") { config.metrics.port = $0 }
        },
        Key(name: "metrics.tls") { node, config in bool(node) { config.metrics.tls = $0 } },
        Key(name: "kubernetes.qps") { node, config in number(node) { config.kubernetes.qps = $0 } },
        Key(name: "kubernetes.burst") { node, config in
            int(node, "a whole number of requests") { config.kubernetes.burst = $0 }
        },
        Key(name: "tasks.snat.enabled") { node, config in bool(node) { config.snat.enabled = $0 } },
        Key(name: "tasks.snat.healing_duration") { node, config in duration(node) { config.snat.healingDuration = $0 }
        },
        Key(name: "tasks.snat.error_threshold") { node, config in
            int(node, "a whole number") { config.snat.errorThreshold = $0 }
        },
        Key(name: "tasks.snat.resync_interval") { node, config in duration(node) { config.snat.resyncInterval = $0 } },
        Key(name: "tasks.snat.pod_image") { node, config in string(node) { config.snat.podImage = $0 } },
        Key(name: "tasks.snat.pod_namespace") { node, config in string(node) { config.snat.podNamespace = $0 } },
        Key(name: "tasks.snat.verify_sandboxes") { node, config in bool(node) { config.snat.verifySandboxes = $0 } },
        Key(name: "tasks.snat.min_sandboxes") { node, config in
            int(node, "a whole number of probe pods") { config.snat.minSandboxes = $0 }
        },
        Key(name: "tasks.snat.sandbox_timeout") { node, config in duration(node) { config.snat.sandboxTimeout = $0 } },
        Key(name: "tasks.snat.retry_after") { node, config in duration(node) { config.snat.retryAfter = $0 } },
        Key(name: "tasks.snat.paused") { node, config in bool(node) { config.snat.paused = $0 } },
        Key(name: "tasks.snat.startup_taint") { node, config in taint(node) { config.snat.startupTaint = $0 } },
        Key(name: "tasks.snat.report_pods_predating_healing") { node, config in
            bool(node) { config.snat.reportPodsPredatingHealing = $0 }
        },
        Key(name: "tasks.snat.evict_pods_predating_healing") { node, config in
            bool(node) { config.snat.evictPodsPredatingHealing = $0 }
        },
        Key(name: "tasks.snat.healing_pod_tolerations") { node, config in
            TolerationReader.read(node) { config.snat.healingPodTolerations = $0 }
        },
        Key(name: "leader_election.enabled") { node, config in bool(node) { config.leaderElection.enabled = $0 } },
        Key(name: "leader_election.namespace") { node, config in
            string(node) { config.leaderElection.namespace = $0 }
        },
        Key(name: "leader_election.lease_name") { node, config in
            string(node) { config.leaderElection.leaseName = $0 }
        },
        Key(name: "leader_election.identity") { node, config in string(node) { config.leaderElection.identity = $0 } },
        Key(name: "leader_election.lease_duration") { node, config in
            duration(node) { config.leaderElection.leaseDuration = $0 }
        },
        Key(name: "leader_election.renew_deadline") { node, config in
            duration(node) { config.leaderElection.renewDeadline = $0 }
        },
        Key(name: "leader_election.retry_period") { node, config in
            duration(node) { config.leaderElection.retryPeriod = $0 }
        },
    ]

    /// Names the Go original's `conf.template.yaml` used, read as today's key so old files load unchanged.
    static let legacyAliases = ["server_use_tls": "tls"]

    private static let keysByName = Dictionary(uniqueKeysWithValues: keys.map { ($0.name, $0) })
    private static let sections: Set<String> = Set(
        keys.flatMap { key in
            let parts = key.name.split(separator: ".")
            return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: ".") }
        })

    static func key(named name: String) -> Key? { keysByName[name] }
    static func isSection(_ name: String) -> Bool { sections.contains(name) }

    /// The keys directly under a section, for messages: "port, tls".
    static func children(of section: String) -> String {
        let prefix = section + "."
        let names = (keys.map(\.name) + sections).filter { $0.hasPrefix(prefix) }
            .map { $0.dropFirst(prefix.count) }.filter { !$0.contains(".") }
        return names.sorted().joined(separator: ", ")
    }

    /// ", did you mean …?" for a key one small typo away from a known one, else a list of what is allowed here.
    static func suggestion(for unknown: String) -> String {
        let parent = unknown.split(separator: ".").dropLast().joined(separator: ".")
        let siblings = (keys.map(\.name) + sections).filter {
            $0.split(separator: ".").dropLast().joined(separator: ".") == parent
        }
        if let close = siblings.min(by: { editDistance($0, unknown) < editDistance($1, unknown) }),
            editDistance(close, unknown) <= max(2, unknown.count / 4)
        {
            return "; did you mean \"\(close)\"?"
        }
        let leaves = siblings.map { $0.split(separator: ".").last.map(String.init) ?? $0 }.sorted()
        return parent.isEmpty
            ? "; known keys are \(leaves.joined(separator: ", "))"
            : "; known keys under \(parent) are \(leaves.joined(separator: ", "))"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
