import ArgumentParser
import Glibc

/// `vigilante`: the cops-vigilante webhook server and its tools.
@main
struct Vigilante: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigilante",
        abstract: "Heals AKS Windows nodes hit by the Azure CNI SNAT bug, as a Kubernetes admission webhook.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, NodesCommand.self, VersionCommand.self]
    )

    /// The one process-wide setting, made before any command runs: a write to a peer that has gone fails with
    /// `EPIPE` instead of killing the process. The listeners' TLS connections and libcurl (which runs with
    /// `CURLOPT_NOSIGNAL`, so it no longer ignores the signal itself) both write through OpenSSL with plain
    /// `write(2)`, which `MSG_NOSIGNAL` does not cover.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        await main(nil)
    }
}
