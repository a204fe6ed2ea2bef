import Foundation
import Synchronization

/// A `vigilante` process running in the background, with its standard error collected as it arrives.
final class RunningVigilante: Sendable {
    private let process: Process
    private let collected = TextBuffer()

    init(_ arguments: [String], in directory: URL) throws {
        process = Process()
        process.executableURL = VigilanteProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        let collected = self.collected
        error.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                // End of file: the process has exited and every line it wrote is in.
                handle.readabilityHandler = nil
                collected.isComplete.store(true, ordering: .releasing)
                return
            }
            collected.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// A test that fails before stopping it must not leave the process behind.
    deinit {
        if process.isRunning { process.terminate() }
    }

    var standardError: String { collected.text.withLock { $0 } }

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

    /// Sends `signal` and returns the exit status once the process has ended.
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
        while !collected.isComplete.load(ordering: .acquiring) {
            guard ContinuousClock.now < deadline else { throw WaitError(message: "standard error never closed") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    final class TextBuffer: Sendable {
        let text = Mutex("")
        /// Set once standard error reached its end.
        let isComplete = Atomic(false)
    }

    struct WaitError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
