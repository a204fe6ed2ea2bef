import Foundation
public import Kubernetes

/// The whole configuration of `vigilante run`, with the defaults the README's
/// configuration table documents.
///
/// Where a value comes from, lowest precedence first: these defaults, `/etc/vigilante/config/conf.yaml`,
/// `./config/conf.yaml` (or only the file given with `--config`), then command-line flags.
/// `ConfigurationLoader` applies that order; nothing else reads configuration.
public struct VigilanteConfiguration: Sendable, Equatable {
    /// Serve the webhook over HTTPS. `false` serves plain HTTP on port 8000, as the Go original did.
    public var tls = true
    /// Time between probe rounds. At least 15 s unless `unsafeAllowShortIntervals`.
    public var interval: Duration = .seconds(30)
    /// Allows `interval` (and `resync_interval`) below their floors; for tests and demos only.
    public var unsafeAllowShortIntervals = false
    /// How long stopping may take after SIGTERM or SIGINT (draining the webhook, cancelling healing calls) before
    /// what is left is abandoned and the process exits: under Kubernetes' default 30 s grace period, after which
    /// the kubelet kills the container.
    public var shutdownTimeout: Duration = .seconds(25)
    /// Everything runs but nothing is written to the cluster: each write that would have happened is logged and
    /// counted instead (`--dry-run`).
    public var dryRun = false
    public var webhook = Webhook()
    public var metrics = Metrics()
    public var kubernetes = KubernetesAccess()
    public var snat = SnatTask()
    public var leaderElection = LeaderElection()

    public init() {}

    /// The webhook listener.
    public struct Webhook: Sendable, Equatable {
        /// `nil` means the default for the `tls` setting: 8443 with TLS, 8000 without (the Go original's port).
        public var explicitPort: Int?
        public var certFile = "/etc/vigilante/certs/tls.crt"
        public var keyFile = "/etc/vigilante/certs/tls.key"
        /// When set, clients must present a certificate signed by this CA.
        public var clientCAFile: String?
        /// An UPDATE review carries the Node twice; a Node in etcd is at most 1.5 MiB (etcd's default request
        /// limit), so 4 MiB holds two of the largest Nodes (3 MiB) and the review's envelope, and no more.
        public var maxBodyBytes = 4 * 1024 * 1024
        /// Request bytes all webhook connections may buffer together: 16 of the largest reviews at once, far below
        /// the chart's 128 MiB memory limit.
        public var maxBufferedBytes = 64 * 1024 * 1024
        /// Connections from one client address at most; the API server needs a few dozen.
        public var maxConnectionsPerClient = 256

        public init() {}
    }

    /// The metrics and health listener.
    public struct Metrics: Sendable, Equatable {
        public var port = 8080
        /// Serve metrics over HTTPS with the webhook's certificate.
        public var tls = false

        public init() {}
    }

    /// The client-side rate limit of every call to the Kubernetes API.
    public struct KubernetesAccess: Sendable, Equatable {
        /// 20 requests per second sustain 300 healing nodes per 30 s round (a delete and a create each), far
        /// below what an AKS control plane serves, so a cluster of thousands of nodes is never flooded.
        public var qps: Double = 20
        /// Short bursts (the first probe pods of a node pool scaling out) go through without waiting.
        public var burst = 40

        public init() {}
    }

    /// The SNAT healing task (`tasks.snat.*`).
    public struct SnatTask: Sendable, Equatable {
        public var enabled = true
        /// How long a node gets fresh probe pods before it is marked healed.
        public var healingDuration: Duration = .seconds(30 * 60)
        /// Failed API calls in one window after which the node is given up for that window (Go original: 10, when
        /// one step was one call without retries); each failed attempt of a retried call counts.
        public var errorThreshold = 10
        /// Full node list and leftover-pod collection; catches callbacks the API server skipped.
        public var resyncInterval: Duration = .seconds(5 * 60)
        public var podImage = "mcr.microsoft.com/oss/kubernetes/pause:3.6"
        /// kube-system because it always exists (Go original).
        public var podNamespace = "kube-system"
        public var healingPodTolerations: [Toleration] = []
        /// Mark a node healed only when its probe pods got pod sandboxes; `false` is the Go original's rule.
        public var verifySandboxes = true
        /// Probe pods that must get their sandbox in a window, one of them created in its last two intervals.
        public var minSandboxes = 3
        /// How long a bound probe pod may wait for its sandbox before it is replaced and counted as missed.
        public var sandboxTimeout: Duration = .seconds(120)
        /// After a window without enough sandbox evidence, how long until the next window starts.
        public var retryAfter: Duration = .seconds(600)
        /// No new window and no probe pod; callbacks, resyncs and metrics go on, stored windows resume when unpaused.
        public var paused = false
        /// The taint new Windows nodes join with (`key=value:Effect`), removed when they are healed; `nil`: none.
        public var startupTaint: Taint?
        /// When a node is healed, name the workload pods on it that predate its healing (reads every pod of the node:
        /// the chart grants cluster-wide pod `list` for it).
        public var reportPodsPredatingHealing = true
        /// Evict those pods through the Eviction API (PodDisruptionBudgets honoured).
        public var evictPodsPredatingHealing = false

        public init() {}
    }
}

extension VigilanteConfiguration {
    /// Leader election among replicas (`leader_election.*`): only the replica holding the Lease heals.
    public struct LeaderElection: Sendable, Equatable {
        /// Off for the binary (one replica heals alone, no Lease); the chart turns it on.
        public var enabled = false
        /// Where the Lease lives. Empty until loading fills in the default: the namespace of the pod's service
        /// account in a cluster, else `kube-system`.
        public var namespace = ""
        public var leaseName = "cops-vigilante"
        /// This replica's `holderIdentity`. Empty until loading fills in the default: `$POD_NAME`, else the host
        /// name with a random suffix.
        public var identity = ""
        public var leaseDuration: Duration = .seconds(15)
        public var renewDeadline: Duration = .seconds(10)
        public var retryPeriod: Duration = .seconds(2)

        public init() {}

        /// Where a pod's service account namespace is mounted.
        public static let serviceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

        /// Fills in the defaults that depend on where the process runs.
        mutating func resolveDefaults(environment: [String: String], namespaceFile: String) {
            if namespace.isEmpty {
                let mounted = (try? String(contentsOfFile: namespaceFile, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                namespace = mounted.flatMap { $0.isEmpty ? nil : $0 } ?? "kube-system"
            }
            if identity.isEmpty {
                if let pod = environment["POD_NAME"], !pod.isEmpty {
                    identity = pod
                } else {
                    let host = ProcessInfo.processInfo.hostName
                    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
                    identity = "\(host.isEmpty ? "cops-vigilante" : host)_\(suffix)"
                }
            }
        }
    }

    /// The defaults of `tasks.snat.sandbox_timeout`, `retry_after` and `min_sandboxes` suit the 30 s interval;
    /// when the file does not set them, they follow a longer interval (at least one interval; no more sandboxes
    /// than the window holds rounds), so that a configuration of the Go original with a long interval still loads.
    mutating func followInterval(keysSet: Set<String>) {
        guard interval > .zero else { return }
        if !keysSet.contains("tasks.snat.sandbox_timeout") { snat.sandboxTimeout = max(snat.sandboxTimeout, interval) }
        if !keysSet.contains("tasks.snat.retry_after") { snat.retryAfter = max(snat.retryAfter, interval) }
        if !keysSet.contains("tasks.snat.min_sandboxes") {
            let rounds = Int((snat.healingDuration / interval).rounded(.up))
            snat.minSandboxes = max(1, min(snat.minSandboxes, rounds))
        }
    }
}

extension VigilanteConfiguration.Webhook {
    /// Port 0 asks the kernel for a free port.
    public func port(tls: Bool) -> Int {
        explicitPort ?? (tls ? 8443 : 8000)
    }
}

extension VigilanteConfiguration {
    /// The webhook port in effect, after the `tls` default.
    public var webhookPort: Int { webhook.port(tls: tls) }
}
