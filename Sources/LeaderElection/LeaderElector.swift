public import Kubernetes
public import Logging
import Prometheus

/// Leader election on a `coordination.k8s.io/v1` Lease with client-go's semantics (README, "High availability").
///
/// - A candidate reads the Lease every `retryPeriod` and takes it when nobody holds it, or when it has not seen
///   it change for the holder's `leaseDurationSeconds` (measured on its own monotonic clock from when it saw the
///   last change, never from the `renewTime` written by another machine's clock).
/// - The leader renews every `retryPeriod`. Its term ends `renewDeadline` after the last renewal it *sent* that
///   succeeded; when no renewal succeeds by then it stops acting, and `renewDeadline < leaseDuration` means that
///   happens before any follower may take over.
/// - Every write carries the `resourceVersion` last read; a 409 means read again, never overwrite.
/// - On cancellation (SIGTERM) the leader stops its work first, then releases the Lease (holder emptied), so a
///   follower takes over at its next attempt.
public actor LeaderElector {
    let api: any LeaseAPI
    let clock: any ElectionClock
    let configuration: LeaderElectionConfiguration
    public nonisolated let leadership: Leadership
    let metrics: LeaderElectionMetrics
    let logger: Logger
    /// A number in [0, 1) per wait, to spread the candidates' attempts.
    let random: @Sendable () -> Double
    /// Called once, after the Lease was first read or created (readiness: the API server answers).
    var onFirstContact: (@Sendable () -> Void)?

    /// The Lease as last read or written, and the uptime at which its spec was last seen to change.
    private(set) var observed: Lease?
    private(set) var observedChangeAt: Duration = .zero
    /// The uptime the last successful write of this replica was sent at.
    private var lastRenewalSentAt: Duration?

    public init(
        api: any LeaseAPI, clock: any ElectionClock, configuration: LeaderElectionConfiguration,
        metrics: LeaderElectionMetrics, logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onFirstContact: (@Sendable () -> Void)? = nil
    ) {
        self.api = api
        self.clock = clock
        self.configuration = configuration
        self.leadership = Leadership(clock: clock)
        self.metrics = metrics
        self.logger = logger
        self.random = random
        self.onFirstContact = onFirstContact
    }

    private var identity: String { configuration.identity }

    private var leaseMetadata: Logger.Metadata {
        ["identity": "\(identity)", "lease": "\(configuration.namespace)/\(configuration.leaseName)"]
    }

    // MARK: The loop

    /// Campaigns until this replica leads, runs `lead` while it does, and campaigns again when leadership is lost;
    /// `lead` is cancelled (and awaited) as soon as the term is over. Returns when the task is cancelled, after
    /// releasing the Lease if this replica held it.
    public func run(lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            guard await campaign() else { break }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await lead() }
                group.addTask { await self.renewWhileLeading() }
                await group.next()
                // No write may start from here on, whatever the work is doing while it winds down.
                stopLeading()
                group.cancelAll()
            }
            if Task.isCancelled {
                await release()
            } else {
                logger.error(
                    "Lost the leadership: the Lease was not renewed within renew_deadline; stopped acting as the leader",
                    metadata: leaseMetadata.merging(
                        ["renew_deadline": "\(configuration.renewDeadline)"], uniquingKeysWith: { $1 }))
            }
        }
    }

    /// Tries until the Lease is this replica's; false when cancelled first.
    func campaign() async -> Bool {
        while !Task.isCancelled {
            if await attempt(until: clock.uptime + configuration.renewDeadline) {
                startLeading()
                return true
            }
            do {
                try await clock.sleep(untilUptime: nextCampaignAttempt())
            } catch {
                return false
            }
        }
        return false
    }

    /// When a follower tries next: one `retryPeriod` on (less up to a tenth, to spread the candidates), or at the
    /// moment the holder's Lease expires if that comes first, so a takeover is not a whole period late.
    func nextCampaignAttempt() -> Duration {
        let now = clock.uptime
        var next = now + configuration.retryPeriod * (1 - 0.1 * random())
        if let expiry = holderExpiry(), expiry > now, expiry < next { next = expiry }
        return next
    }

    /// Renews every `retryPeriod` until a renewal cannot succeed by the end of the term; returns then (or when
    /// cancelled).
    func renewWhileLeading() async {
        while !Task.isCancelled {
            guard let sentAt = lastRenewalSentAt else { return }
            do {
                try await clock.sleep(untilUptime: sentAt + configuration.retryPeriod)
            } catch {
                return
            }
            var renewed = false
            while !renewed {
                let termEnd = (lastRenewalSentAt ?? .zero) + configuration.renewDeadline
                guard clock.uptime < termEnd, !Task.isCancelled else { return }
                renewed = await attempt(until: termEnd)
                if renewed { break }
                guard !Task.isCancelled else { return }
                metrics.renewFailures.increment()
                let retryAt = min(clock.uptime + configuration.retryPeriod, termEnd)
                do {
                    try await clock.sleep(untilUptime: retryAt)
                } catch {
                    return
                }
            }
        }
    }

    // MARK: One attempt

    /// `tryAcquireOrRenew` bounded by `deadline`: an API server that does not answer cannot keep the attempt (and
    /// with it the leader's term) alive past it.
    func attempt(until deadline: Duration) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask { [clock] in
                try? await clock.sleep(untilUptime: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
    }

    /// Creates, takes over or renews the Lease once; true when this replica holds it afterwards.
    func tryAcquireOrRenew() async -> Bool {
        let sentAt = clock.uptime
        let now = MicroTime(clock.wallNow)
        // The leader renews the Lease it wrote last without reading it first, as client-go does; if that fails
        // (conflict, error), it reads the Lease as a candidate would.
        if leadership.isLeading, let current = observed, current.spec.holderIdentity == identity {
            if await write(renewal(of: current, now: now), sentAt: sentAt) { return true }
        }
        let current: Lease
        do {
            current = try await api.getLease(named: configuration.leaseName, namespace: configuration.namespace)
        } catch .notFound {
            return await create(now: now, sentAt: sentAt)
        } catch {
            logAttemptFailure("read", error)
            return false
        }
        firstContact()
        observe(current)
        let holder = current.spec.holderIdentity ?? ""
        if !holder.isEmpty, holder != identity, let expiry = holderExpiry(), clock.uptime < expiry {
            return false
        }
        return await write(renewal(of: current, now: now), sentAt: sentAt)
    }

    /// The Lease as this replica writes it: renewed when it already holds it, taken over (a new acquire time and
    /// one more transition) when it does not.
    func renewal(of current: Lease, now: MicroTime) -> Lease {
        var lease = current
        let holds = current.spec.holderIdentity == identity
        lease.spec.holderIdentity = identity
        lease.spec.leaseDurationSeconds = configuration.leaseDurationSeconds
        lease.spec.renewTime = now
        if !holds {
            lease.spec.acquireTime = now
            lease.spec.leaseTransitions = (current.spec.leaseTransitions ?? 0) + 1
        }
        return lease
    }

    private func create(now: MicroTime, sentAt: Duration) async -> Bool {
        let lease = Lease(
            metadata: ObjectMeta(name: configuration.leaseName, namespace: configuration.namespace),
            spec: LeaseSpec(
                holderIdentity: identity, leaseDurationSeconds: configuration.leaseDurationSeconds, acquireTime: now,
                renewTime: now, leaseTransitions: 0))
        do {
            let created = try await api.createLease(lease)
            firstContact()
            observe(created)
            lastRenewalSentAt = sentAt
            return true
        } catch {
            // 409: another candidate created it first; the next attempt reads it.
            logAttemptFailure("create", error)
            return false
        }
    }

    /// PUT with the resourceVersion read: true when written (and this replica's term, if it leads, extended),
    /// false on a conflict or error.
    private func write(_ lease: Lease, sentAt: Duration) async -> Bool {
        do {
            let written = try await api.updateLease(lease)
            observe(written)
            lastRenewalSentAt = sentAt
            if leadership.isLeading { leadership.grant(until: sentAt + configuration.renewDeadline) }
            return true
        } catch {
            logAttemptFailure("update", error)
            return false
        }
    }

    /// Notes the Lease read or written; a change of its spec restarts the holder's expiry.
    private func observe(_ lease: Lease) {
        if observed?.spec != lease.spec {
            observedChangeAt = clock.uptime
            let previous = observed?.spec.holderIdentity
            if let holder = lease.spec.holderIdentity, !holder.isEmpty, holder != identity, holder != previous {
                logger.info(
                    "Another replica holds the leader Lease",
                    metadata: leaseMetadata.merging(["holder": "\(holder)"], uniquingKeysWith: { $1 }))
            }
        }
        observed = lease
    }

    /// When the holder's Lease, as last seen changing, expires (on this replica's monotonic clock).
    func holderExpiry() -> Duration? {
        guard let observed else { return nil }
        let seconds = observed.spec.leaseDurationSeconds ?? configuration.leaseDurationSeconds
        return observedChangeAt + .seconds(max(1, seconds))
    }

    private func firstContact() {
        onFirstContact?()
        onFirstContact = nil
    }

    private func logAttemptFailure(_ action: String, _ error: KubernetesError) {
        if case .cancelled = error { return }
        logger.debug(
            "Leader election: the Lease \(action) failed",
            metadata: leaseMetadata.merging(["error": "\(error)"], uniquingKeysWith: { $1 }))
    }

    // MARK: Leading

    private func startLeading() {
        leadership.grant(until: (lastRenewalSentAt ?? clock.uptime) + configuration.renewDeadline)
        metrics.leader.set(to: 1)
        metrics.transitions.increment()
        logger.notice(
            "Became the leader",
            metadata: leaseMetadata.merging(
                ["lease_transitions": "\(observed?.spec.leaseTransitions ?? 0)"], uniquingKeysWith: { $1 }))
    }

    private func stopLeading() {
        leadership.revoke()
        metrics.leader.set(to: 0)
        metrics.transitions.increment()
    }

    /// Empties the holder so a follower takes over at its next attempt instead of waiting for the Lease to expire.
    /// Runs after the work has stopped; the write is not cancelled with the task (it is what shutdown waits for),
    /// but is bounded by `renewDeadline`.
    func release() async {
        guard var lease = observed, lease.spec.holderIdentity == identity else { return }
        let now = MicroTime(clock.wallNow)
        lease.spec.holderIdentity = ""
        lease.spec.leaseDurationSeconds = 1
        lease.spec.acquireTime = now
        lease.spec.renewTime = now
        let api = self.api
        let clock = self.clock
        let releasing = lease
        let deadline = clock.uptime + configuration.renewDeadline
        let released = await Task.detached { () -> Lease? in
            await withTaskGroup(of: Lease?.self) { group in
                group.addTask { try? await api.updateLease(releasing) }
                group.addTask {
                    try? await clock.sleep(untilUptime: deadline)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }.value
        if let released {
            observe(released)
            logger.notice("Released the leader Lease", metadata: leaseMetadata)
        } else {
            logger.warning(
                "Could not release the leader Lease; a follower takes over when it expires", metadata: leaseMetadata)
        }
    }
}
