import Foundation
public import Kubernetes
public import Logging
import Prometheus

/// The SNAT healing task: Node snapshots in (webhook callbacks, resyncs), probe pods and annotations out.
///
/// Every Windows node has a `NodeHealingState`; a node whose step is due gets it performed, steps of different
/// nodes run at once (up to `maxConcurrentSteps`), in the order they fell due. When the client's rate limit
/// cannot cover every node in one interval, steps wait for it in that order, so rounds stretch and every node is
/// served in turn. The loop sleeps until the next step or resync is due, or a node event arrives.
public actor HealingScheduler {
    let api: any KubernetesAPI
    let clock: any WallClock
    let configuration: HealingConfiguration
    let metrics: HealingMetrics
    let logger: Logger
    nonisolated let inbox: NodeEventInbox<NodeHint>
    /// Nodes as the leader's watch delivered them (`nil`: deleted). The watch is served from the API server's cache,
    /// in order but possibly behind vigilante's own last write: an event that would act is read back first.
    nonisolated let watchedInbox: NodeEventInbox<Node?>
    /// Wakes the loop: node events, finished steps.
    nonisolated let wake = WakeSignal()

    var states: [String: NodeHealingState] = [:]
    /// Nodes with a step in flight, and what each runs.
    var running: [String: Task<Void, Never>] = [:]
    /// Callbacks waiting to be checked against the API server, and the checks in flight, by node.
    var pendingHints: [String: NodeHint] = [:]
    var pendingHintOrder: [String] = []
    var reading: Set<String> = []
    /// The checks in flight (each reads a batch of callbacks), by a number of their own.
    var readTasks: [Int: Task<Void, Never>] = [:]
    var nextReadTask = 0
    /// Events being written, by a number of their own: they run beside the steps (an Event that cannot be written
    /// never holds up healing) and are cancelled and awaited with them when the scheduler stops.
    var announcements: [Int: Task<Void, Never>] = [:]
    var nextAnnouncement = 0
    /// Steps started so far.
    var launched = 0
    /// Nodes whose probe pod is to be deleted (node deleted, or no longer Windows).
    var cleanups: Set<String> = []
    /// Workload pods found on each healed node that started before its healing (`reportPodsPredatingHealing`).
    var predatingPods: [String: Int] = [:]
    /// Pods predating their node's healing still to be evicted, by node (`evictPodsPredatingHealing`).
    var evictions: [String: [PendingEviction]] = [:]
    /// Healed nodes that still carry the startup taint (an earlier run stopped between the two writes).
    var taintLifts: Set<String> = []
    var lastResync: Date?
    /// The `resourceVersion` of the last resync's node list: the next one reads the watch cache, not older than it.
    var lastListedVersion: String?
    /// Resyncs failed in a row: the next one waits 10 s, doubled per failure, up to the resync interval.
    var resyncFailures = 0
    /// When the probe pods were last listed (`refreshProbeStatus`).
    var lastProbeList: Date?
    var onFirstResync: (@Sendable () -> Void)?

    public init(
        api: any KubernetesAPI, clock: any WallClock, configuration: HealingConfiguration, metrics: HealingMetrics,
        logger: Logger, onFirstResync: (@Sendable () -> Void)? = nil
    ) {
        self.api = api
        self.clock = clock
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.inbox = NodeEventInbox(capacity: configuration.inboxCapacity)
        self.watchedInbox = NodeEventInbox(capacity: configuration.inboxCapacity)
        self.onFirstResync = onFirstResync
    }

    // MARK: Input

    /// Queues a webhook callback about a node; never blocks. The node is read from the API server before anything
    /// is done about it; a node's callbacks waiting together are checked once.
    public nonisolated func enqueue(_ hint: NodeHint) {
        if !inbox.put(hint, for: hint.name) {
            metrics.droppedEvents.increment()
            logger.warning(
                "Node event queue is full; dropped an event (the next resync recovers it)",
                metadata: ["node": "\(hint.name)"])
        }
        metrics.queueDepth.set(to: Double(inbox.count))
        wake.signal()
    }

    /// Queues a node event of the watch; never blocks. A full queue drops it (the next resync recovers it).
    public nonisolated func enqueueWatched(_ event: NodeWatchEvent) {
        let accepted: Bool
        switch event {
        case .added(let node), .modified(let node):
            accepted = watchedInbox.put(node, for: node.name)
        case .deleted(let node):
            accepted = watchedInbox.put(nil, for: node.name)
        case .bookmark:
            return
        }
        if !accepted { metrics.droppedEvents.increment() }
        wake.signal()
    }

    // MARK: The loop

    /// Resyncs, then works until the task is cancelled; then cancels the steps and Events in flight (their API
    /// calls are aborted) and returns once they have ended, so that nothing of the scheduler outlives it.
    public func run() async {
        while !Task.isCancelled {
            await runOnce()
            let deadline = nextWake()
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [clock] in try? await clock.sleep(until: deadline) }
                group.addTask { [wake] in await wake.wait() }
                await group.next()
                group.cancelAll()
            }
        }
        let unfinished = Array(running.values) + Array(announcements.values) + Array(readTasks.values)
        for task in unfinished { task.cancel() }
        for task in unfinished { await task.value }
    }

    /// One pass: takes queued events, resyncs when due, starts the windows of unverified nodes whose wait is over,
    /// reads the probe pods' status when steps need it, and starts the steps that are due.
    /// Returns how many steps and callback checks it started.
    @discardableResult
    public func runOnce() async -> Int {
        let before = launched
        applyInbox()
        let now = clock.now
        if lastResync.map({ now >= $0 + configuration.resyncInterval.timeInterval }) ?? true {
            await resync()
        }
        startRetryWindows()
        await refreshProbeStatus()
        startDueSteps()
        // After the events and the resync of this pass, so the gauges show both.
        publishCounts()
        return launched - before
    }

    /// Waits until no step is running, no callback is being checked and no Event is being written (tests).
    public func waitForSteps() async {
        while let task = running.values.first ?? readTasks.values.first ?? announcements.values.first {
            await task.value
        }
    }

    private func nextWake() -> Date {
        let now = clock.now
        var next = (lastResync ?? now) + (lastResync == nil ? 10 : configuration.resyncInterval.timeInterval)
        // With every worker busy, a due step cannot start before one finishes, and a finishing step wakes the
        // loop: waiting for due steps here would spin.
        guard running.count < configuration.maxConcurrentSteps, !configuration.paused else { return max(next, now) }
        for (name, state) in states where running[name] == nil {
            if let step = state.nextStep, step < next { next = step }
        }
        for (name, pending) in evictions where running[name] == nil {
            if let due = pending.map(\.nextAttempt).min(), due < next { next = due }
        }
        return max(next, now)
    }

    private func applyInbox() {
        for (name, node) in watchedInbox.takeAll() {
            guard let node else {
                forget(name, reason: "deleted")
                continue
            }
            // Before the first resync (a quorum read, in this same pass) there is nothing the event could be older
            // than; after it, an event that would start, end or forget something is a hint, read back by name.
            if lastResync != nil, wouldActOn(node) {
                queueHint(NodeHint(name: name, change: .updated(previousResourceVersion: nil)))
            } else {
                observe(node)
            }
        }
        for (_, hint) in inbox.takeAll() { queueHint(hint) }
        metrics.queueDepth.set(to: Double(inbox.count + pendingHintOrder.count))
        startReads()
    }

    /// A callback's hint, or a watched change to confirm, waits for its read (one per node: the latest counts).
    private func queueHint(_ hint: NodeHint) {
        if pendingHints[hint.name] == nil {
            guard pendingHintOrder.count < configuration.inboxCapacity else {
                metrics.droppedEvents.increment()
                return
            }
            pendingHintOrder.append(hint.name)
        }
        pendingHints[hint.name] = hint
    }

    // MARK: Observing

    /// Runs inside a pass (`runOnce`: its events and its resync), which starts the due steps right after; no wake
    /// is needed.
    func observe(_ node: Node) {
        let name = node.name
        guard node.isWindows, !node.isOptedOut else {
            if states[name] != nil {
                forget(
                    name, reason: node.isWindows ? "labelled \(SnatNames.skipLabel)=true" : "no longer a Windows node")
            }
            return
        }
        var state = states[name] ?? NodeHealingState(node: node)
        let observation = state.observe(node, now: clock.now, window: configuration.window)
        if observation.isNotReadySighting { metrics.recordNotReadySighting() }
        if observation.leftHealing {
            logger.info(
                "Node is not Ready; healing stops and its window starts again when it is Ready",
                metadata: ["node": "\(name)"])
        }
        if observation.startedWindow {
            let resumed = state.isWindowStored
            logger.info(
                resumed ? "Resuming the healing window stored on the node" : "Healing started",
                metadata: ["node": "\(name)", "window_start": "\(RFC3339.string(state.windowStart ?? clock.now))"])
        }
        states[name] = state
        if let taint = configuration.startupTaint, node.annotation(SnatNames.healedAnnotation) == "true",
            node.taints.contains(where: taint.matches)
        {
            taintLifts.insert(name)
        }
    }

    func forget(_ name: String, reason: String) {
        if predatingPods.removeValue(forKey: name) != nil {
            metrics.setPodsPredatingHealing(predatingPods.values.reduce(0, +))
        }
        evictions[name] = nil
        guard states.removeValue(forKey: name) != nil else { return }
        cleanups.insert(name)
        logger.info("Stopped tracking the node", metadata: ["node": "\(name)", "reason": "\(reason)"])
    }

    private func publishCounts() {
        var counts: [HealingPhase: Int] = [:]
        var oldestStart: Date?
        for state in states.values {
            counts[state.phase, default: 0] += 1
            if state.phase == .healing, let start = state.windowStart, start < (oldestStart ?? .distantFuture) {
                oldestStart = start
            }
        }
        metrics.setCounts(counts)
        metrics.setLongestWindow(oldestStart.map { max(0, clock.now.timeIntervalSince($0)) } ?? 0)
    }

    // MARK: Steps

    private func startRetryWindows() {
        let now = clock.now
        for name in states.keys where states[name]?.startRetryWindowIfDue(at: now) == true {
            logger.info("Healing started again after an unverified window", metadata: ["node": "\(name)"])
        }
    }

    private func startDueSteps() {
        let now = clock.now
        for name in cleanups where running[name] == nil && running.count < configuration.maxConcurrentSteps {
            cleanups.remove(name)
            launch(name) { scheduler in await scheduler.deleteProbePod(of: name, reason: "node gone") }
        }
        for name in taintLifts where running[name] == nil && running.count < configuration.maxConcurrentSteps {
            taintLifts.remove(name)
            launch(name) { scheduler in await scheduler.liftStartupTaint(of: name) }
        }
        // Paused: no window starts, no probe pod is made, nothing is evicted; windows stored on the nodes resume when
        // unpaused.
        guard !configuration.paused else { return }
        for (name, pending) in evictions
        where running[name] == nil && running.count < configuration.maxConcurrentSteps
            && pending.contains(where: { $0.nextAttempt <= now })
        {
            launch(name) { scheduler in await scheduler.evictDuePods(on: name) }
        }
        let due = states.compactMap { name, state -> (String, Date, HealingAction)? in
            // A node whose callback is being checked waits for the read: its step acts on what was read.
            guard running[name] == nil, !reading.contains(name),
                let action = state.dueAction(at: now, configuration: configuration),
                let step = state.nextStep
            else { return nil }
            return (name, step, action)
        }.sorted { $0.1 < $1.1 }
        for (name, _, action) in due where running.count < configuration.maxConcurrentSteps {
            guard let generation = states[name]?.generation else { continue }
            launch(name) { scheduler in await scheduler.perform(action, for: name, generation: generation, at: now) }
        }
    }

    private func launch(_ name: String, _ body: @escaping @Sendable (HealingScheduler) async -> Void) {
        launched += 1
        running[name] = Task { [weak self] in
            guard let self else { return }
            await body(self)
            await self.stepFinished(name)
        }
    }

    private func stepFinished(_ name: String) {
        running[name] = nil
        publishCounts()
        wake.signal()
    }
}

extension HealingScheduler {
    /// The phase of a tracked node, for tests and diagnostics.
    public func phase(of node: String) -> HealingPhase? { states[node]?.phase }
}
