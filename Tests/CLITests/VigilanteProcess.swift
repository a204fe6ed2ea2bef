import Foundation

/// Runs the built `vigilante` binary as an operator would, in a scratch working directory so that no
/// `./config/conf.yaml` of the checkout is read.
struct VigilanteProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// `VIGILANTE_BIN` if set, else the binary next to the test bundle (SwiftPM builds it for this target).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["VIGILANTE_BIN"] { return URL(filePath: path) }
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appending(path: "vigilante")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../.build/debug/vigilante")
            .standardized
    }

    /// Runs to completion and collects both streams.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}
