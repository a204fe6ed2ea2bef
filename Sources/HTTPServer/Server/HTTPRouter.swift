/// Dispatches by exact path, then method: an unknown path gets 404, a known path with another method 405
/// (with `Allow`). Paths are matched without the query string.
///
/// Routes added with `addOnLoop` answer on the event loop when the body is at most `onLoopBodyLimit` bytes
/// (their work grows with the body); larger bodies and `add` routes run as tasks.
public struct HTTPRouter: HTTPHandler {
    public typealias Route = @Sendable (HTTPRequest) async -> HTTPResponse
    public typealias ImmediateRoute = @Sendable (HTTPRequest) -> HTTPResponse

    private enum Entry {
        case task(Route)
        case onLoop(ImmediateRoute)
    }

    private var routes: [String: [String: Entry]] = [:]
    /// 256 KiB: a Node review of a large node, read in well under a millisecond.
    public var onLoopBodyLimit = 256 * 1024

    public init() {}

    /// A route that may wait (I/O, locks): it always runs as a task.
    public mutating func add(_ method: String, _ path: String, _ route: @escaping Route) {
        routes[path, default: [:]][method] = .task(route)
    }

    /// A route that never waits and does work bounded by the body size.
    public mutating func addOnLoop(_ method: String, _ path: String, _ route: @escaping ImmediateRoute) {
        routes[path, default: [:]][method] = .onLoop(route)
    }

    public func respondOnLoop(to request: HTTPRequest) -> HTTPResponse? {
        switch resolve(request) {
        case .answer(let response): response
        case .route(.onLoop(let route)) where request.body.count <= onLoopBodyLimit: finish(route(request), request)
        case .route: nil
        }
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        switch resolve(request) {
        case .answer(let response): response
        case .route(.onLoop(let route)): finish(route(request), request)
        case .route(.task(let route)): finish(await route(request), request)
        }
    }

    private enum Resolution {
        case answer(HTTPResponse)
        case route(Entry)
    }

    private func resolve(_ request: HTTPRequest) -> Resolution {
        guard let byMethod = routes[request.head.path] else {
            return .answer(.text(.notFound, "no such path: \(request.head.path)\n"))
        }
        if let entry = byMethod[request.head.method] ?? (request.head.method == "HEAD" ? byMethod["GET"] : nil) {
            return .route(entry)
        }
        var response = HTTPResponse.text(
            .methodNotAllowed, "\(request.head.method) is not allowed on \(request.head.path)\n")
        response.headers.add(name: "Allow", value: byMethod.keys.sorted().joined(separator: ", "))
        return .answer(response)
    }

    /// A HEAD request gets the GET answer's head only.
    private func finish(_ response: HTTPResponse, _ request: HTTPRequest) -> HTTPResponse {
        guard request.head.method == "HEAD" else { return response }
        var head = response
        head.body = []
        return head
    }
}

extension HTTPResponse {
    /// A plain-text response.
    public static func text(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: plainTextHeaders, body: Array(text.utf8))
    }

    /// Built once: every response shares the storage (copy-on-write) instead of building the fields anew.
    private static let plainTextHeaders = HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")])
}
