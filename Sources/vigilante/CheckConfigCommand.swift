import ArgumentParser
import VigilanteApp

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Print the effective configuration, or every problem in it (exit status 1).",
        discussion: "Unknown keys are errors here, while `run` only warns about them."
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case yaml, json
    }

    @OptionGroup var options: ConfigurationOptions

    @Option(help: "yaml: a configuration file of every key; json: the configuration and the listeners' endpoints.")
    var format: OutputFormat = .yaml

    func run() throws {
        let loaded = options.load()
        guard loaded.problems.isEmpty else {
            for problem in loaded.problems { printToStandardError("\(problem.severity.rawValue): \(problem)") }
            printToStandardError("configuration has \(loaded.problems.count) problem(s)")
            throw ExitCode(1)
        }
        switch format {
        case .yaml:
            let sources =
                loaded.sources.isEmpty ? "defaults only, no file found" : loaded.sources.joined(separator: ", ")
            print("# effective configuration (\(sources))")
            print(loaded.configuration.yamlText, terminator: "")
        case .json:
            print(loaded.configuration.jsonText, terminator: "")
        }
    }
}
