import Logging
import Synchronization
import Testing

@testable import VigilanteApp

/// The order in which the runner starts and stops services, with the signal replaced by a closure (the real
/// SIGTERM and SIGINT are sent to the binary in the integration and end-to-end suites).
@Suite struct ServiceRunnerTests {
    struct CannotStart: Error {}

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
            try await ServiceRunner.run(services) {
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
        try await ServiceRunner.run(services) {
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
        let service = BackgroundService("ticker", loopEnds: LoopEnds(), logger: Logger(label: "test")) {
            while !Task.isCancelled {
                ticks.add(1, ordering: .relaxed)
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        try await service.start()
        while ticks.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await service.stop()
        let afterStop = ticks.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(50))
        #expect(ticks.load(ordering: .relaxed) == afterStop, "the loop still ran after stop returned")
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
            try await ServiceRunner.run(services) { await loopEnds.first() }
        }
        #expect(journal.all == ["start metrics", "start webhook", "stop webhook", "stop metrics"])
    }
}
