import Foundation
import KubernetesClient
import TestSupport
import Testing

/// The order of cluster configs (README, "Kubernetes access"): --kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster.
@Suite struct ClusterConfigLoaderTests {
    static func kubeconfig(server: String) -> String {
        KubeconfigTests.kubeconfig(cluster: ["server: \(server)"], user: ["token: t"])
    }

    /// A service-account directory as the kubelet mounts it.
    static func serviceAccount(in directory: TemporaryDirectory, namespace: String? = "vigilante") throws -> String {
        try directory.write("sa/token", "bound-token\n")
        try directory.write("sa/ca.crt", KubeconfigTests.certificatePEM)
        if let namespace { try directory.write("sa/namespace", namespace) }
        return directory.path("sa")
    }

    @Test func explicitPath_winsOverEverythingElse() throws {
        let directory = try TemporaryDirectory()
        let explicit = try directory.write("explicit", Self.kubeconfig(server: "https://explicit"))
        let fromEnvironment = try directory.write("env", Self.kubeconfig(server: "https://env"))
        try directory.write("home/.kube/config", Self.kubeconfig(server: "https://home"))

        let config = try ClusterConfigLoader(
            explicitPath: explicit, environment: ["KUBECONFIG": fromEnvironment], homeDirectory: directory.path("home")
        ).load()

        #expect(config.server == "https://explicit")
    }

    @Test func kubeconfigVariable_usesTheFirstExistingFileOfTheList() throws {
        let directory = try TemporaryDirectory()
        let second = try directory.write("second", Self.kubeconfig(server: "https://second"))
        try directory.write("home/.kube/config", Self.kubeconfig(server: "https://home"))

        let config = try ClusterConfigLoader(
            environment: ["KUBECONFIG": "\(directory.path("missing")):\(second)"], homeDirectory: directory.path("home")
        ).load()

        #expect(config.server == "https://second")
    }

    @Test func homeKubeconfig_winsOverInCluster() throws {
        let directory = try TemporaryDirectory()
        try directory.write("home/.kube/config", Self.kubeconfig(server: "https://home"))

        let config = try ClusterConfigLoader(
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            homeDirectory: directory.path("home"), serviceAccountDirectory: try Self.serviceAccount(in: directory)
        ).load()

        #expect(config.server == "https://home")
    }

    @Test func inCluster_readsTheServiceAccountFiles_andKeepsTheTokenAsAFile() throws {
        let directory = try TemporaryDirectory()
        let serviceAccount = try Self.serviceAccount(in: directory)

        let config = try ClusterConfigLoader(
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            homeDirectory: directory.path("nohome"), serviceAccountDirectory: serviceAccount
        ).load()

        #expect(config.server == "https://10.0.0.1:443")
        #expect(config.token == .file(path: "\(serviceAccount)/token"))
        #expect(config.certificateAuthorityPEM == Array(KubeconfigTests.certificatePEM.utf8))
        #expect(config.namespace == "vigilante")
    }

    @Test func inCluster_withAnIPv6Service_bracketsTheAddress() throws {
        let directory = try TemporaryDirectory()

        let config = try ClusterConfigLoader(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"],
            homeDirectory: directory.path("nohome"),
            serviceAccountDirectory: try Self.serviceAccount(in: directory, namespace: nil)
        ).load()

        #expect(config.server == "https://[fd00::1]:6443")
        #expect(config.namespace == "default")
    }

    @Test func inCluster_withoutTheToken_namesTheDirectoryAndFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("sa/ca.crt", KubeconfigTests.certificatePEM)

        let error = #expect(throws: ClusterConfigError.self) {
            _ = try ClusterConfigLoader(
                environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
                homeDirectory: directory.path("nohome"), serviceAccountDirectory: directory.path("sa")
            ).load()
        }

        #expect(error?.file == directory.path("sa"))
        #expect(error?.field == "token")
    }

    @Test func explicitPathThatDoesNotExist_isAnError_notAFallThrough() throws {
        let directory = try TemporaryDirectory()
        try directory.write("home/.kube/config", Self.kubeconfig(server: "https://home"))

        #expect(throws: ClusterConfigError.self) {
            _ = try ClusterConfigLoader(
                explicitPath: directory.path("missing"), environment: [:], homeDirectory: directory.path("home")
            ).load()
        }
    }

    @Test func nothingFound_saysWhatWasTried() throws {
        let directory = try TemporaryDirectory()

        let error = #expect(throws: ClusterConfigError.self) {
            _ = try ClusterConfigLoader(environment: [:], homeDirectory: directory.path("nohome")).load()
        }

        #expect(error?.description.contains("KUBERNETES_SERVICE_HOST") == true)
    }
}
