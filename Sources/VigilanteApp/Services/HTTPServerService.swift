import HTTPServer
import Logging

/// One listener as a service: binds at start (logging the real port), and on stop refuses new connections and
/// drains the open ones.
struct HTTPServerService: LifecycleService {
    let name: String
    let server: HTTPServer
    let scheme: String
    let logger: Logger

    func start() async throws {
        let port = try server.start()
        logger.info("Listening", metadata: ["listener": "\(name)", "port": "\(port)", "scheme": "\(scheme)"])
    }

    func stop() async {
        logger.info("Stopping: draining connections", metadata: ["listener": "\(name)"])
        await server.shutdown()
        logger.info("Stopped", metadata: ["listener": "\(name)"])
    }
}
