/// Which request an error belongs to: the logical call, the HTTP method and path (with its query), and how many
/// attempts were made, so that a message names exactly what failed and whether retries were tried.
public struct KubernetesCall: Sendable, Equatable, CustomStringConvertible {
    public var verb: KubernetesVerb
    public var method: String
    /// The path with its query, without the server, e.g. `/api/v1/nodes?limit=500`.
    public var path: String
    /// 1 when the first attempt decided the outcome; more after retries.
    public var attempts: Int

    public init(verb: KubernetesVerb, method: String, path: String, attempts: Int = 1) {
        self.verb = verb
        self.method = method
        self.path = path
        self.attempts = attempts
    }

    public var description: String {
        let retries = attempts > 1 ? " (attempt \(attempts))" : ""
        return "\(verb.rawValue) \(method) \(path)\(retries)"
    }
}
