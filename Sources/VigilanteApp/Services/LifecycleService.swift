import Logging
import Synchronization
import UnixSignals

/// A part of the running application: started in order, stopped in the reverse order.
protocol LifecycleService: Sendable {
    /// For logs: which service did not stop in time.
    var name: String { get }
    /// Starts the service; returns once it runs (a listener is bound), or throws when it cannot.
    func start() async throws
    /// Stops the service; returns once it has stopped (a listener has drained, a loop has ended).
    func stop() async
}

/// Runs services until SIGTERM or SIGINT, or until a background loop ends on its own. Services start in order;
/// if one cannot start, those already running are stopped and the error is thrown. On the signal they stop in
/// reverse order, each finishing before the next begins: the webhook drains first while health and metrics answer
/// until the end. Stopping has one overall deadline (`shutdown_timeout`, under Kubernetes' 30 s grace period):
/// what has not stopped by then is cancelled and left behind, and the runner returns, so the process exits before
/// the kubelet's SIGKILL. A loop that ended on its own stops everything the same way and is thrown as an error, so
/// the process exits non-zero and Kubernetes restarts the pod rather than keep one that no longer heals.
enum ServiceRunner {
    struct LoopEnded: Error, CustomStringConvertible {
        var description: String
    }

    static func run(
        _ services: [any LifecycleService], loopEnds: LoopEnds, stopTimeout: Duration, logger: Logger
    ) async throws {
        // Trapped before anything starts, so that a signal during start-up stops the process cleanly instead of
        // killing it; while the sequence lives, further signals are absorbed, not fatal.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await run(services, stopTimeout: stopTimeout, logger: logger) {
            await withTaskGroup(of: String?.self) { group in
                group.addTask {
                    for await signal in signals {
                        logger.info("Shutting down", metadata: ["signal": "\(signal)"])
                        break
                    }
                    return nil
                }
                group.addTask { await loopEnds.first() }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }

    /// Starts `services`, waits for `shutdown` (which returns the name of a loop that ended on its own, or `nil`
    /// for a signal), and stops them within `stopTimeout`.
    static func run(
        _ services: [any LifecycleService], stopTimeout: Duration, logger: Logger,
        until shutdown: () async -> String?
    ) async throws {
        var running: [any LifecycleService] = []
        do {
            for service in services {
                try await service.start()
                running.append(service)
            }
        } catch {
            await stop(running, within: stopTimeout, logger: logger)
            throw error
        }
        let endedLoop = await shutdown()
        await stop(running, within: stopTimeout, logger: logger)
        if let endedLoop { throw LoopEnded(description: "the \(endedLoop) stopped on its own") }
    }

    /// Stops `services` in reverse order; returns when all have stopped or `timeout` has passed, whichever comes
    /// first. At the deadline the stopping task is cancelled (a drain in progress is cut short) and left behind.
    private static func stop(_ services: [any LifecycleService], within timeout: Duration, logger: Logger) async {
        let stopped = Mutex<[String]>([])
        let stopping = Task {
            for service in services.reversed() {
                await service.stop()
                stopped.withLock { $0.append(service.name) }
            }
        }
        let finished = await FirstOf.two({ await stopping.value }, { try? await Task.sleep(for: timeout) })
        if finished == .second {
            stopping.cancel()
            let done = stopped.withLock { Set($0) }
            logger.error(
                "Shutdown deadline passed; exiting with work cancelled",
                metadata: [
                    "shutdown_timeout": "\(timeout)",
                    "not_stopped": "\(services.map(\.name).filter { !done.contains($0) }.joined(separator: ", "))",
                ])
        }
    }
}

/// Where background loops report that they ended without being asked to.
final class LoopEnds: Sendable {
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    func report(_ name: String) { continuation.yield(name) }

    /// The first loop that ended; `nil` when the wait is cancelled.
    func first() async -> String? {
        for await name in stream { return name }
        return nil
    }
}

/// A loop that runs until its task is cancelled (the certificate reloader, the healing scheduler).
final class BackgroundService: LifecycleService {
    let name: String
    private let loopEnds: LoopEnds
    private let logger: Logger
    private let body: @Sendable () async -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ name: String, loopEnds: LoopEnds, logger: Logger, _ body: @escaping @Sendable () async -> Void) {
        self.name = name
        self.loopEnds = loopEnds
        self.logger = logger
        self.body = body
    }

    func start() async throws {
        let started = Task { [name, loopEnds, logger, body] in
            await body()
            if !Task.isCancelled {
                logger.critical("A background loop stopped on its own; shutting down", metadata: ["loop": "\(name)"])
                loopEnds.report(name)
            }
        }
        task.withLock { $0 = started }
    }

    func stop() async {
        guard let running = task.withLock({ $0.take() }) else { return }
        running.cancel()
        await running.value
    }
}
