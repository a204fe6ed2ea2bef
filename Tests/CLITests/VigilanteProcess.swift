import Foundation
import TestSupport

/// Runs the built `vigilante` binary as an operator would, in a scratch working directory so that no
/// `./config/conf.yaml` of the checkout is read.
struct VigilanteProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The built binary; the debug build of the checkout when SwiftPM put none next to the test bundle.
    static var binary: URL {
        ChildProcess.builtVigilante
            ?? URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../.build/debug/vigilante")
            .standardized
    }

    /// Runs to completion and collects both streams.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let finished = try ChildProcess.run(
            binary, arguments, directory: directory ?? FileManager.default.temporaryDirectory)
        return Result(status: finished.status, standardOutput: finished.output, standardError: finished.errors)
    }
}
