public import Foundation
import Synchronization

/// Runs programs from tests: the built `vigilante` binary, python3 (the fake API server's tools), curl.
public enum ChildProcess {
    /// A program that ran to its end.
    public struct Finished: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: Data

        public var output: String { String(decoding: standardOutput, as: UTF8.self) }
        public var errors: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// Runs `executable` to completion and collects both streams. Standard error is read on a thread of its own,
    /// so a program that writes a lot to it cannot block on a full pipe while standard output is being read.
    public static func run(
        _ executable: URL, _ arguments: [String], directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> Finished {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorData = Mutex(Data())
        let errorsRead = DispatchGroup()
        DispatchQueue.global().async(group: errorsRead) {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        return Finished(
            status: process.terminationStatus, standardOutput: outputData,
            standardError: errorData.withLock { $0 })
    }

    /// The `vigilante` binary under test: `VIGILANTE_BIN` if set, else the one SwiftPM built next to the test
    /// bundle; `nil` when neither exists.
    public static var builtVigilante: URL? {
        if let path = ProcessInfo.processInfo.environment["VIGILANTE_BIN"] { return URL(filePath: path) }
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appending(path: "vigilante")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
