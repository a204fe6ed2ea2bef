import HTTPServer
import Healing
import Logging
import ServiceLifecycle

/// Runs one listener as a service: binds at start (logging the real port), serves until graceful shutdown,
/// then stops accepting and drains.
struct HTTPServerService: Service {
    let name: String
    let server: HTTPServer
    let scheme: String
    let logger: Logger

    func run() async throws {
        let port = try server.start()
        logger.info("Listening", metadata: ["listener": "\(name)", "port": "\(port)", "scheme": "\(scheme)"])
        try? await gracefulShutdown()
        logger.info("Stopping: draining connections", metadata: ["listener": "\(name)"])
        await server.shutdown()
        logger.info("Stopped", metadata: ["listener": "\(name)"])
    }
}

/// Checks the certificate files for change every few seconds until shutdown.
struct CertificateReloadService: Service {
    let reloader: CertificateReloader
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await reloader.run(every: interval)
        }
    }
}

/// Runs the healing scheduler until graceful shutdown.
struct HealingService: Service {
    let scheduler: HealingScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await scheduler.run()
        }
    }
}
