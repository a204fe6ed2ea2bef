import Foundation

/// Finds the cluster config in this order: the `--kubeconfig` path, `KUBECONFIG`, `~/.kube/config`, then
/// the in-cluster service account. The first source that exists is used, and an error in it is reported, not
/// skipped: a broken kubeconfig must not silently fall through to another cluster.
public struct ClusterConfigLoader: Sendable {
    /// `--kubeconfig`; when set, nothing else is tried.
    public var explicitPath: String?
    /// The process environment unless given.
    public var environment: [String: String]
    /// The directory holding `.kube/config`; `HOME` by default.
    public var homeDirectory: String?
    /// The service-account mount; injectable for tests.
    public var serviceAccountDirectory: String

    /// Where Kubernetes mounts a pod's service-account token, CA and namespace.
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public init(
        explicitPath: String? = nil, environment: [String: String]? = nil,
        homeDirectory: String? = nil, serviceAccountDirectory: String = defaultServiceAccountDirectory
    ) {
        self.explicitPath = explicitPath
        let environment = environment ?? ProcessInfo.processInfo.environment
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"]
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    public func load() throws(ClusterConfigError) -> ClusterConfig {
        if let explicitPath, !explicitPath.isEmpty {
            return try KubeconfigReader(path: explicitPath).read()
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            // kubectl merges every file of the list; the first one that exists is enough for this product.
            let files = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            guard let first = files.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw ClusterConfigError(
                    file: "environment", field: "KUBECONFIG", problem: "none of the files exist: \(list)")
            }
            return try KubeconfigReader(path: first).read()
        }
        if let homeDirectory, !homeDirectory.isEmpty {
            let path = URL(filePath: homeDirectory).appending(path: ".kube/config").path
            if FileManager.default.fileExists(atPath: path) {
                return try KubeconfigReader(path: path).read()
            }
        }
        let inCluster = InClusterConfig(environment: environment, directory: serviceAccountDirectory)
        if inCluster.isAvailable {
            return try inCluster.read()
        }
        throw ClusterConfigError(
            file: "cluster config",
            problem: "none found: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and KUBERNETES_SERVICE_HOST is "
                + "not set (not running in a pod)")
    }
}
