import Foundation
import TestSupport
import VigilanteApp

/// Loads `yaml` as the only configuration file, with optional flag overrides.
func load(_ yaml: String, overrides: [ConfigurationOverride] = []) throws -> LoadedConfiguration {
    let directory = try TemporaryDirectory()
    let path = try directory.write("conf.yaml", yaml)
    return ConfigurationLoader(explicitPath: path).load(overrides: overrides)
}

/// The one-line texts of every problem, for assertions.
func messages(_ loaded: LoadedConfiguration) -> [String] {
    loaded.problems.map(\.description)
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
