import ArgumentParser

/// `vigilante`: the cops-vigilante webhook server and its tools.
@main
struct Vigilante: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigilante",
        abstract: "Heals AKS Windows nodes hit by the Azure CNI SNAT bug, as a Kubernetes admission webhook.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, NodesCommand.self, VersionCommand.self]
    )
}
