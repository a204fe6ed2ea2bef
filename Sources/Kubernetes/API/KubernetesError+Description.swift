extension KubernetesError: CustomStringConvertible {
    /// One line naming the call, what went wrong and the server's message, e.g.
    /// `get_node GET /api/v1/nodes/aks-1: not found: nodes "aks-1" not found`.
    public var description: String {
        "\(call): \(summary)"
    }

    private var summary: String {
        switch self {
        case .notFound(_, let message): "not found: \(message)"
        case .alreadyExists(let call, let message):
            call.attempts > 1
                ? "already exists after a retry (an earlier attempt whose answer was lost probably created it): "
                    + message
                : "already exists: \(message)"
        case .conflict(_, let message): "conflict: \(message)"
        case .unauthorized(_, let message):
            "unauthorized (the token or client certificate was refused; the token file was re-read): \(message)"
        case .forbidden(_, let message): "forbidden (check the RBAC rules of the service account): \(message)"
        case .invalid(_, let message): "invalid: \(message)"
        case .expired(_, let message): "expired: \(message)"
        case .badRequest(_, let code, let message): "refused with HTTP \(code): \(message)"
        case .tooManyRequests(_, let retryAfter):
            "too many requests (HTTP 429)" + (retryAfter.map { ", server asked to retry after \($0)" } ?? "")
        case .serverError(_, let code, let message): "server error HTTP \(code): \(message)"
        case .timeout(_, let message): "timed out: \(message)"
        case .transport(_, let code, let message): "transport error (libcurl code \(code)): \(message)"
        case .decoding(_, let message): "the answer is not the JSON expected: \(message)"
        case .cancelled: "cancelled"
        case .paginationAbandoned(_, let message): "listing abandoned: \(message)"
        }
    }
}
