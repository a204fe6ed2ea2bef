import ArgumentParser
import VigilanteApp

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version, the git commit it was built from, and the OpenSSL and libcurl versions."
    )

    func run() {
        print(BuildInfo.versionReport)
    }
}
