import Foundation
public import Kubernetes
public import Logging
import Synchronization

/// The leader's watch of Windows nodes, as an informer keeps one (README, "High availability"): every change
/// of a Windows node reaches the scheduler within moments, whichever replica the API server sent its webhook
/// callback to. It starts without a version (the server sends every Windows node as ADDED), then resumes from the
/// last version seen, kept fresh by bookmarks; a version too old (410) starts it again without one. Failures
/// back off from 1 s to 30 s; the periodic resync covers what a broken watch misses.
public struct WindowsNodeWatch: Sendable {
    /// The label the kubelet sets on every node, lowercase; nodes labelled otherwise by hand reach healing through
    /// callbacks and the resync only.
    public static let labelSelector = "\(Node.osLabel)=windows"

    let api: any NodeWatchAPI
    let scheduler: HealingScheduler
    let clock: any WallClock
    let logger: Logger

    public init(api: any NodeWatchAPI, scheduler: HealingScheduler, clock: any WallClock, logger: Logger) {
        self.api = api
        self.scheduler = scheduler
        self.clock = clock
        self.logger = logger
    }

    /// Watches until the task is cancelled.
    public func run() async {
        let resourceVersion = Mutex<String?>(nil)
        var failures = 0
        while !Task.isCancelled {
            let started = clock.now
            // As client-go's reflector: between 5 and 10 minutes, so replicas' watches do not end together.
            let timeout = Int.random(in: 300..<600)
            do {
                try await api.watchNodes(
                    labelSelector: Self.labelSelector, resourceVersion: resourceVersion.withLock { $0 },
                    timeoutSeconds: timeout
                ) { [scheduler] event in
                    switch event {
                    case .added(let node), .modified(let node), .deleted(let node):
                        if let version = node.metadata.resourceVersion { resourceVersion.withLock { $0 = version } }
                    case .bookmark(let version):
                        resourceVersion.withLock { $0 = version }
                    }
                    scheduler.enqueueWatched(event)
                }
                // A watch the server ends at once, again and again, is a failure too.
                failures = clock.now.timeIntervalSince(started) < 1 ? failures + 1 : 0
            } catch .expired {
                logger.info("The node watch's version is too old; watching again from the current state")
                resourceVersion.withLock { $0 = nil }
                failures = 0
            } catch .cancelled {
                return
            } catch {
                failures += 1
                logger.warning(
                    "The node watch failed; watching again after a pause (the resync covers what it misses)",
                    metadata: ["error": "\(error)", "failures_in_a_row": "\(failures)"])
            }
            guard failures > 0 else { continue }
            let pause = min(30.0, Double(1 << min(failures - 1, 5)))
            do {
                try await clock.sleep(until: clock.now + pause)
            } catch {
                return
            }
        }
    }
}
