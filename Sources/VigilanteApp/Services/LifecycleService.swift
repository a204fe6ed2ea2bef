import Logging
import Synchronization
import UnixSignals

/// A part of the running application: started in order, stopped in the reverse order.
protocol LifecycleService: Sendable {
    /// Starts the service; returns once it runs (a listener is bound), or throws when it cannot.
    func start() async throws
    /// Stops the service; returns once it has stopped (a listener has drained, a loop has ended).
    func stop() async
}

/// Runs services until SIGTERM or SIGINT. Services start in order; if one cannot start, those already running
/// are stopped and the error is thrown. On the signal they stop in reverse order, each finishing before the next
/// begins: the webhook drains first while health and metrics answer until the end.
enum ServiceRunner {
    static func run(_ services: [any LifecycleService], logger: Logger) async throws {
        // Trapped before anything starts, so that a signal during start-up stops the process cleanly instead of
        // killing it; while the sequence lives, further signals are absorbed, not fatal.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await run(services) {
            for await signal in signals {
                logger.info("Shutting down", metadata: ["signal": "\(signal)"])
                return
            }
        }
    }

    /// Starts `services`, waits for `shutdown` to return, and stops them.
    static func run(_ services: [any LifecycleService], until shutdown: () async -> Void) async throws {
        var running: [any LifecycleService] = []
        do {
            for service in services {
                try await service.start()
                running.append(service)
            }
        } catch {
            await stop(running)
            throw error
        }
        await shutdown()
        await stop(running)
    }

    private static func stop(_ services: [any LifecycleService]) async {
        for service in services.reversed() { await service.stop() }
    }
}

/// A loop that runs until its task is cancelled (the certificate reloader, the healing scheduler).
final class BackgroundService: LifecycleService {
    private let body: @Sendable () async -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ body: @escaping @Sendable () async -> Void) {
        self.body = body
    }

    func start() async throws {
        let started = Task { await body() }
        task.withLock { $0 = started }
    }

    func stop() async {
        guard let running = task.withLock({ $0.take() }) else { return }
        running.cancel()
        await running.value
    }
}
