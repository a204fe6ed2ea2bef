import ArgumentParser
import Dispatch
import Synchronization

/// `vigilante`: the cops-vigilante webhook server and its tools.
@main
struct Vigilante: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigilante",
        abstract: "Heals AKS Windows nodes hit by the Azure CNI SNAT bug, as a Kubernetes admission webhook.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, NodesCommand.self, VersionCommand.self]
    )

    /// ArgumentParser's own `main`, from a synchronous entry point: an async subcommand runs as a task while the
    /// main thread waits for it. An `async` entry point would hand the main thread to `dispatch_main`, which ends
    /// it with `pthread_exit`; unwinding that thread reads the unwind tables of every frame on its stack, which
    /// kept about half a MiB of the binary resident for the life of the process, for nothing.
    static func main() {
        do {
            var command = try parseAsRoot()
            if let asyncCommand = command as? any AsyncParsableCommand {
                try runToEnd(asyncCommand)
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    private static func runToEnd(_ command: sending any AsyncParsableCommand) throws {
        let finished = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task {
            var command = command
            do {
                try await command.run()
            } catch {
                failure.withLock { $0 = error }
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
