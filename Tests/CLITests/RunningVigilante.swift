import Foundation

/// A `vigilante` process running in the background, its standard error written to a file in its directory. A file,
/// not a pipe: once the process has exited, the file holds every line it wrote, whereas a pipe's end can stay open
/// in another child process of this test run (descriptors are inherited) and never report end-of-file.
final class RunningVigilante: Sendable {
    private let process: Process
    private let standardErrorFile: URL

    init(_ arguments: [String], in directory: URL) throws {
        standardErrorFile = directory.appending(path: "vigilante.stderr")
        FileManager.default.createFile(atPath: standardErrorFile.path, contents: nil)
        process = Process()
        process.executableURL = VigilanteProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardError = try FileHandle(forWritingTo: standardErrorFile)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// A test that fails before stopping it must not leave the process behind.
    deinit {
        if process.isRunning { process.terminate() }
    }

    var standardError: String {
        (try? String(contentsOf: standardErrorFile, encoding: .utf8)) ?? ""
    }

    /// Waits (polling, up to `timeout`) until standard error contains `text`.
    func waitForStandardError(containing text: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !standardError.contains(text) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw WaitError(message: "never printed \"\(text)\"; standard error so far:\n\(standardError)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends `signal` and returns the exit status once the process has ended (its standard error is then complete).
    func stop(signal: Int32, timeout: Duration = .seconds(30)) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw WaitError(message: "did not exit after signal \(signal)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    struct WaitError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
