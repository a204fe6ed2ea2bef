import ArgumentParser
import Healing
import Kubernetes
import KubernetesClient
import Logging
import VigilanteApp

/// `vigilante nodes`: lists the cluster's nodes through the product's own Kubernetes client, page by page, as
/// the resync does. An operator's check that the client reaches the cluster with the config it would use, and
/// what `scripts/bench.sh nodes` measures against kubectl.
struct NodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "List the nodes as the healing scheduler sees them: name, OS, Ready, healed annotation, state.",
        discussion: "Prints one tab-separated line per node, then a count line; --quiet prints only the count."
    )

    @Option(help: "kubeconfig file; otherwise KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    var kubeconfig: String?

    @Option(help: "Label selector, e.g. kubernetes.io/os=windows.")
    var selector: String?

    @Option(help: "Nodes per request (the list is paginated with limit/continue).")
    var chunkSize: Int = 500

    @Flag(help: "Print only the count line.")
    var quiet = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (logs go to standard error).")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be at least 1") }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in VigilanteLogHandler(label: label, format: .text, level: level) }
        let logger = Logger(label: "vigilante")

        let config: ClusterConfig
        do {
            config = try ClusterConfigLoader(explicitPath: kubeconfig).load()
        } catch {
            printToStandardError("vigilante nodes: \(error)")
            throw ExitCode(2)
        }
        logger.debug("Cluster config", metadata: ["config": "\(config)"])
        let client = CurlKubernetesClient(config: config, version: BuildInfo.version, logger: logger)

        var count = 0
        let quiet = quiet
        if !quiet { print(["NAME", "OS", "READY", "HEALED", "STATE"].joined(separator: "\t")) }
        do {
            try await client.forEachNodePage(labelSelector: selector, chunkSize: chunkSize) { nodes in
                count += nodes.count
                guard !quiet else { return }
                for node in nodes { print(Self.line(for: node)) }
            }
        } catch {
            printToStandardError("vigilante nodes: \(error)")
            throw ExitCode(1)
        }
        print("\(count) nodes")
    }

    /// `name  os  ready  healed  state`, tab-separated; `-` where a label, condition or annotation is absent, and
    /// as the state of a node that is not Windows. The state is read from the node's annotations: `healed`,
    /// `healing since <start>`, `unverified, next window at <time>`, `waiting_for_ready` or `not healed yet`.
    static func line(for node: Node) -> String {
        let ready = node.status?.conditions?.first { $0.type == "Ready" }?.status ?? "-"
        let healed = node.annotation(SnatNames.healedAnnotation) ?? "-"
        let state = node.annotatedHealingState ?? "-"
        return [node.name, node.label(Node.osLabel) ?? "-", ready, healed, state].joined(separator: "\t")
    }
}
