import Foundation
import Yams

/// Builds the effective configuration. Precedence, lowest first:
/// 1. the defaults of `VigilanteConfiguration`;
/// 2. the files, each overriding the one before: `/etc/vigilante/config/conf.yaml`, then `./config/conf.yaml`
///    (missing ones are skipped, as in the Go original), or only the file given with `--config` (which must exist);
/// 3. command-line flags.
public struct ConfigurationLoader: Sendable {
    public static let defaultSearchPaths = ["/etc/vigilante/config/conf.yaml", "config/conf.yaml"]
    /// Every key a file may set, dotted (`tasks.snat.interval`).
    public static var keyNames: [String] { ConfigurationSchema.keys.map(\.name) }

    public var searchPaths: [String]
    public var explicitPath: String?
    /// Where the defaults of `leader_election.identity` (`POD_NAME`) and `namespace` come from.
    public var environment: [String: String]
    public var serviceAccountNamespaceFile: String

    public init(
        explicitPath: String? = nil, searchPaths: [String] = Self.defaultSearchPaths,
        environment: [String: String]? = nil,
        serviceAccountNamespaceFile: String = VigilanteConfiguration.LeaderElection.serviceAccountNamespaceFile
    ) {
        self.explicitPath = explicitPath
        self.searchPaths = searchPaths
        self.environment = environment ?? ProcessInfo.processInfo.environment
        self.serviceAccountNamespaceFile = serviceAccountNamespaceFile
    }

    public func load(overrides: [ConfigurationOverride] = []) -> LoadedConfiguration {
        var result = LoadedConfiguration()
        var entries: [String: ConfigurationFile.Entry] = [:]

        for path in explicitPath.map({ [$0] }) ?? searchPaths {
            let required = explicitPath != nil
            guard let text = read(path, required: required, problems: &result.problems) else { continue }
            let file = ConfigurationFile(text: text, source: path)
            result.problems += file.problems
            result.sources.append(path)
            entries.merge(file.entries) { _, later in later }
        }
        for override in overrides {
            // Tagged as the file's scalars are (basic resolver): Yams' default tag would build its default
            // resolver, whose NSRegularExpressions load ICU's regex engine and data, for a value read as text anyway.
            let node = Node.scalar(.init(override.value, Tag(.implicit, .basic)))
            entries[override.key] = ConfigurationFile.Entry(node: node, location: SourceLocation(source: override.flag))
        }

        for key in ConfigurationSchema.keys {
            guard let entry = entries[key.name], !entry.node.isNull else { continue }
            result.origins[key.name] = entry.location
            if case .scalar(let scalar) = entry.node { result.writtenValues[key.name] = scalar.string }
            for failure in key.apply(entry.node, &result.configuration) {
                var location = entry.location
                if let mark = failure.mark {
                    location.line = mark.line
                    location.column = mark.column
                }
                result.problems.append(
                    ConfigurationProblem(
                        key: key.name + failure.subpath, value: failure.value,
                        message: failure.rule ?? "must be \(failure.allowed)",
                        location: location))
            }
        }
        result.configuration.followInterval(keysSet: Set(result.origins.keys))
        result.configuration.leaderElection.resolveDefaults(
            environment: environment, namespaceFile: serviceAccountNamespaceFile)
        result.problems +=
            ConfigurationValidator(
                configuration: result.configuration, origins: result.origins, writtenValues: result.writtenValues
            ).problems
        return result
    }

    private func read(_ path: String, required: Bool, problems: inout [ConfigurationProblem]) -> String? {
        let manager = FileManager.default
        if !required && !manager.fileExists(atPath: path) { return nil }
        guard let data = manager.contents(atPath: path) else {
            let reason =
                manager.fileExists(atPath: path)
                ? "it exists but cannot be read (check its permissions)" : "no such file"
            problems.append(
                ConfigurationProblem(key: nil, message: "cannot read configuration file \(path): \(reason)"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(ConfigurationProblem(key: nil, message: "configuration file \(path) is not UTF-8 text"))
            return nil
        }
        return text
    }
}

/// The outcome of loading: the configuration (defaults where a value was refused), every problem, and where
/// each key's value came from.
public struct LoadedConfiguration: Sendable {
    public var configuration = VigilanteConfiguration()
    public var problems: [ConfigurationProblem] = []
    /// Files read, in order.
    public var sources: [String] = []
    /// Where each key that is not at its default was set.
    public var origins: [String: SourceLocation] = [:]
    /// Each single value as written, so that messages quote the operator's own text (`interval: 5`, not `5s`).
    var writtenValues: [String: String] = [:]

    public var errors: [ConfigurationProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [ConfigurationProblem] { problems.filter { $0.severity == .warning } }
}
