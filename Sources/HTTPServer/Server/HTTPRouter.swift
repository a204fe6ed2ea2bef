/// Dispatches by exact path, then method: an unknown path gets 404, a known path with another method 405
/// (with `Allow`). Paths are matched without the query string.
public struct HTTPRouter: HTTPHandler {
    public typealias Route = @Sendable (HTTPRequest) async -> HTTPResponse

    private var routes: [String: [String: Route]] = [:]

    public init() {}

    public mutating func add(_ method: String, _ path: String, _ route: @escaping Route) {
        routes[path, default: [:]][method] = route
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard let byMethod = routes[request.head.path] else {
            return .text(.notFound, "no such path: \(request.head.path)\n")
        }
        if let route = byMethod[request.head.method] {
            return await route(request)
        }
        if request.head.method == "HEAD", let get = byMethod["GET"] {
            var response = await get(request)
            response.body = []
            return response
        }
        var response = HTTPResponse.text(
            .methodNotAllowed, "\(request.head.method) is not allowed on \(request.head.path)\n")
        response.headers.add(name: "Allow", value: byMethod.keys.sorted().joined(separator: ", "))
        return response
    }
}

extension HTTPResponse {
    /// A plain-text response.
    public static func text(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
            body: Array(text.utf8))
    }
}
