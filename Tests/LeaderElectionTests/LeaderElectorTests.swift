import Foundation
import Kubernetes
import Logging
import Prometheus
import Synchronization
import TestSupport
import Testing

@testable import LeaderElection

/// One replica's elector over in-memory Leases: 15 s Lease, 10 s renew deadline, 2 s retry period.
struct Replica {
    let elector: LeaderElector
    let registry = PrometheusCollectorRegistry()

    init(_ identity: String, leases: InMemoryLeases, clock: ManualElectionClock) {
        elector = LeaderElector(
            api: leases, clock: clock,
            configuration: LeaderElectionConfiguration(
                namespace: "ops", leaseName: "cops-vigilante", identity: identity),
            metrics: LeaderElectionMetrics(registry: registry), logger: Logger(label: "test"), random: { 0 })
    }

    var isLeading: Bool { elector.leadership.isLeading }

    func metric(_ name: String) -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) } ?? ""
    }
}

@Suite struct LeaderElectorTests {
    let leases = InMemoryLeases()
    let clock = ManualElectionClock()

    @Test func acquire_createsTheLeaseWithClientGoFields() async {
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await a.elector.tryAcquireOrRenew())
        let lease = leases.lease()
        #expect(lease?.spec.holderIdentity == "a")
        #expect(lease?.spec.leaseDurationSeconds == 15)
        #expect(lease?.spec.leaseTransitions == 0)
        #expect(lease?.spec.acquireTime == MicroTime(clock.wallNow))
        #expect(lease?.spec.renewTime == MicroTime(clock.wallNow))
        #expect(leases.calls == ["GET", "POST"])
    }

    @Test func renew_movesRenewTimeOnly_withoutReadingFirst() async {
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await a.elector.campaign())
        let acquired = leases.lease()
        clock.advance(by: .seconds(2))
        #expect(await a.elector.tryAcquireOrRenew())
        let renewed = leases.lease()
        #expect(renewed?.spec.renewTime == MicroTime(clock.wallNow))
        #expect(renewed?.spec.acquireTime == acquired?.spec.acquireTime)
        #expect(renewed?.spec.leaseTransitions == 0)
        #expect(leases.calls == ["GET", "POST", "PUT"], "the leader's renewal is one PUT")
        #expect(a.isLeading)
        #expect(a.metric("cops_vigilante_leader") == "1.0")
    }

    @Test func anotherHolder_isRespectedUntilItsLeaseExpires_thenTakenOver() async {
        leases.write(LeaseSpec(holderIdentity: "b", leaseDurationSeconds: 15, leaseTransitions: 4))
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await !a.elector.tryAcquireOrRenew())
        clock.advance(by: .seconds(14))
        #expect(await !a.elector.tryAcquireOrRenew(), "14 s without a change: still b's")
        clock.advance(by: .seconds(1))
        #expect(await a.elector.tryAcquireOrRenew(), "15 s without a change: expired")
        let lease = leases.lease()
        #expect(lease?.spec.holderIdentity == "a")
        #expect(lease?.spec.leaseTransitions == 5)
        #expect(lease?.spec.acquireTime == MicroTime(clock.wallNow))
    }

    @Test func aHolderThatRenews_isNeverTakenOver() async {
        let a = Replica("a", leases: leases, clock: clock)
        for second in 0..<30 {
            leases.write(LeaseSpec(holderIdentity: "b", leaseDurationSeconds: 15, renewTime: MicroTime(clock.wallNow)))
            #expect(await !a.elector.tryAcquireOrRenew(), "second \(second)")
            clock.advance(by: .seconds(2))
        }
        #expect(await a.elector.nextCampaignAttempt() == clock.uptime + .seconds(2))
    }

    @Test func aFollowerTriesAgainWhenTheHoldersLeaseExpires_notAWholePeriodLater() async {
        leases.write(LeaseSpec(holderIdentity: "b", leaseDurationSeconds: 15))
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await !a.elector.tryAcquireOrRenew())
        let expiry = clock.uptime + .seconds(15)
        clock.advance(by: .milliseconds(14_500))
        #expect(await a.elector.nextCampaignAttempt() == expiry)
    }

    @Test func conflict_isReadAgain_neverOverwritten() async {
        leases.write(LeaseSpec(holderIdentity: "", leaseDurationSeconds: 1))
        // b takes the Lease between a's read and a's write.
        leases.state.withLock { state in
            state.afterNextGet = { leases in
                leases["ops/cops-vigilante"]?.spec = LeaseSpec(holderIdentity: "b", leaseDurationSeconds: 15)
            }
        }
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await !a.elector.tryAcquireOrRenew())
        #expect(leases.lease()?.spec.holderIdentity == "b", "a's stale write was refused")
        #expect(await !a.elector.tryAcquireOrRenew(), "read again: b holds it")
    }

    @Test func renewFailures_endTheTermAtTheRenewDeadline_beforeTheLeaseExpires() async throws {
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await a.elector.campaign())
        let renewedAt = clock.uptime
        leases.fail(["GET", "PUT"])
        let renewing = Task { await a.elector.renewWhileLeading() }
        // Attempts at 2, 4, 6, 8 s fail; the term ends at 10 s.
        for _ in 0..<9 {
            try await waitUntil("the renew loop waits") { clock.sleeperCount > 0 }
            clock.advance(by: .seconds(1))
            #expect(a.isLeading)
        }
        clock.advance(by: .seconds(1))
        #expect(!a.isLeading, "no write may start once renew_deadline has passed")
        await renewing.value
        #expect(clock.uptime - renewedAt == .seconds(10))
        #expect(Int(a.metric("cops_vigilante_leader_lease_renew_failures_total")) ?? 0 >= 1)
        // A follower could take over only 15 s after it last saw the Lease change.
        let b = Replica("b", leases: leases, clock: clock)
        leases.fail([])
        #expect(await !b.elector.tryAcquireOrRenew())
    }

    @Test func release_emptiesTheHolder_andAFollowerTakesOverAtOnce() async {
        let a = Replica("a", leases: leases, clock: clock)
        let b = Replica("b", leases: leases, clock: clock)
        #expect(await a.elector.campaign())
        #expect(await !b.elector.tryAcquireOrRenew())
        await a.elector.release()
        let released = leases.lease()
        #expect(released?.spec.holderIdentity == "")
        #expect(released?.spec.leaseDurationSeconds == 1)
        #expect(released?.spec.leaseTransitions == 0)
        clock.advance(by: .seconds(2))
        #expect(await b.elector.tryAcquireOrRenew())
        #expect(leases.lease()?.spec.holderIdentity == "b")
        #expect(leases.lease()?.spec.leaseTransitions == 1)
    }

    @Test func wallClockJumps_neitherExpireAnotherHolder_norExtendOwnTerm() async {
        leases.write(LeaseSpec(holderIdentity: "b", leaseDurationSeconds: 15))
        let a = Replica("a", leases: leases, clock: clock)
        #expect(await !a.elector.tryAcquireOrRenew())
        clock.jumpWall(by: 3600)
        #expect(await !a.elector.tryAcquireOrRenew(), "an hour on the wall clock is not 15 s of uptime")
        clock.jumpWall(by: -7200)
        clock.advance(by: .seconds(15))
        #expect(await a.elector.campaign(), "15 s of uptime expire it, whatever the wall clock says")
        #expect(a.isLeading)
        clock.jumpWall(by: -3600)
        clock.advance(by: .seconds(10))
        #expect(!a.isLeading, "the term is 10 s of uptime after the last renewal")
    }

    @Test func run_leadsThenStopsTheWorkAndReleases_onCancellation() async throws {
        let a = Replica("a", leases: leases, clock: clock)
        let started = Mutex(false)
        let stopped = Mutex(false)
        let running = Task {
            await a.elector.run {
                started.withLock { $0 = true }
                while !Task.isCancelled { try? await clock.sleep(untilUptime: clock.uptime + .seconds(3600)) }
                stopped.withLock { $0 = true }
            }
        }
        try await waitUntil("a leads") { started.withLock { $0 } }
        #expect(a.isLeading)
        running.cancel()
        await running.value
        #expect(stopped.withLock { $0 })
        #expect(leases.lease()?.spec.holderIdentity == "")
        #expect(a.metric("cops_vigilante_leader") == "0.0")
        #expect(a.metric("cops_vigilante_leader_transitions_total") == "2")
    }
}
