import Logging
import Synchronization
import TestSupport
import Testing

@testable import VigilanteApp

/// The order in which the runner starts and stops services, with the signal replaced by a closure (the real
/// SIGTERM and SIGINT are sent to the binary in the integration and end-to-end suites).
@Suite struct ServiceRunnerTests {
    struct CannotStart: Error {}
    static let logger = Logger(label: "test")

    final class Journal: Sendable {
        private let entries = Mutex<[String]>([])
        func note(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    struct Recorded: LifecycleService {
        let name: String
        let journal: Journal
        var fails = false

        func start() async throws {
            if fails { throw CannotStart() }
            journal.note("start \(name)")
        }

        func stop() async { journal.note("stop \(name)") }
    }

    @Test func aServiceThatCannotStart_stopsTheStartedOnesInReverse_andThrows() async {
        let journal = Journal()
        let services: [any LifecycleService] = [
            Recorded(name: "metrics", journal: journal), Recorded(name: "reloader", journal: journal),
            Recorded(name: "webhook", journal: journal, fails: true), Recorded(name: "never", journal: journal),
        ]
        await #expect(throws: CannotStart.self) {
            try await ServiceRunner.run(services, stopTimeout: .seconds(25), logger: Self.logger) {
                Issue.record("waited for shutdown after a failed start")
                return nil
            }
        }
        #expect(journal.all == ["start metrics", "start reloader", "stop reloader", "stop metrics"])
    }

    @Test func atShutdown_theServicesStopInReverseOrder() async throws {
        let journal = Journal()
        let services: [any LifecycleService] = ["metrics", "reloader", "healing", "webhook"].map {
            Recorded(name: $0, journal: journal)
        }
        try await ServiceRunner.run(services, stopTimeout: .seconds(25), logger: Self.logger) {
            journal.note("signal")
            return nil
        }
        #expect(
            journal.all == [
                "start metrics", "start reloader", "start healing", "start webhook", "signal",
                "stop webhook", "stop healing", "stop reloader", "stop metrics",
            ])
    }

    @Test func aBackgroundService_endsItsLoopWhenStopped() async throws {
        let ticks = Atomic<Int>(0)
        let ended = Atomic(false)
        let service = BackgroundService("ticker", loopEnds: LoopEnds(), logger: Logger(label: "test")) {
            while !Task.isCancelled {
                ticks.add(1, ordering: .relaxed)
                try? await Task.sleep(for: .milliseconds(5))
            }
            ended.store(true, ordering: .relaxed)
        }
        try await service.start()
        try await waitUntil("the loop ticked") { ticks.load(ordering: .relaxed) > 0 }
        await service.stop()
        let hasEnded = ended.load(ordering: .relaxed)
        #expect(hasEnded, "stop returned before the loop had ended")
    }

    @Test func aLoopThatEndsOnItsOwn_stopsEverything_andIsThrown() async {
        let journal = Journal()
        let loopEnds = LoopEnds()
        let services: [any LifecycleService] = [
            Recorded(name: "metrics", journal: journal),
            BackgroundService("healing scheduler", loopEnds: loopEnds, logger: Logger(label: "test")) {},
            Recorded(name: "webhook", journal: journal),
        ]
        await #expect(throws: ServiceRunner.LoopEnded.self) {
            try await ServiceRunner.run(services, stopTimeout: .seconds(25), logger: Self.logger) {
                await loopEnds.first()
            }
        }
        #expect(journal.all == ["start metrics", "start webhook", "stop webhook", "stop metrics"])
    }

    /// A service whose stop never returns (a drain that hangs).
    struct Stuck: LifecycleService {
        let name = "stuck"
        let journal: Journal

        func start() async throws {}

        func stop() async {
            journal.note("stop stuck")
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            journal.note("stuck stop cancelled")
        }
    }

    @Test func aServiceThatDoesNotStop_isCancelledAtTheDeadline_andTheRunnerReturns() async throws {
        let journal = Journal()
        let services: [any LifecycleService] = [Recorded(name: "metrics", journal: journal), Stuck(journal: journal)]

        try await ServiceRunner.run(services, stopTimeout: .milliseconds(200), logger: Self.logger) {
            journal.note("signal")
            return nil
        }

        // The stuck stop ends only when cancelled, and only the deadline cancels it: that the runner returned at all
        // shows the deadline at work.
        try await waitUntil("the stuck stop sees its cancellation") { journal.all.contains("stuck stop cancelled") }
        #expect(journal.all.prefix(4) == ["start metrics", "signal", "stop stuck", "stuck stop cancelled"])
    }
}
