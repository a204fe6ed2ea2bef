import Foundation
import TestSupport
import VigilanteApp

/// Loads `yaml` as the only configuration file, with optional flag overrides.
func load(_ yaml: String, overrides: [ConfigurationOverride] = []) throws -> LoadedConfiguration {
    let directory = try TemporaryDirectory()
    let path = try directory.write("conf.yaml", yaml)
    return ConfigurationLoader(
        explicitPath: path, environment: testEnvironment, serviceAccountNamespaceFile: "/nonexistent/namespace"
    ).load(overrides: overrides)
}

/// The environment the configuration tests load in: a pod named `vigilante-0`, outside a cluster.
let testEnvironment = ["POD_NAME": "vigilante-0"]

/// The defaults, with the environment's defaults filled in as loading in `testEnvironment` does.
var resolvedDefaults: VigilanteConfiguration {
    var configuration = VigilanteConfiguration()
    configuration.leaderElection.namespace = "kube-system"
    configuration.leaderElection.identity = "vigilante-0"
    return configuration
}

/// The one-line texts of every problem, for assertions.
func messages(_ loaded: LoadedConfiguration) -> [String] {
    loaded.problems.map(\.description)
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
