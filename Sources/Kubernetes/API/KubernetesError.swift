/// Why a Kubernetes API call failed. Every case carries the call (verb, method, path, attempts); 404 and 409 are
/// answers the caller handles (a pod already gone, a pod still there), the others are failures to report.
///
/// The API server's `Status` body decides the case where it is given (`reason`), the HTTP status where it is not.
/// A create that was retried after its answer was lost (a dropped connection, a timeout) and then got 409 is
/// `alreadyExists` with `call.attempts > 1`: the earlier attempt most likely created the object.
public enum KubernetesError: Error, Sendable, Equatable {
    /// 404: the object (or its namespace) does not exist.
    case notFound(KubernetesCall, message: String)
    /// 409 `AlreadyExists`: an object of that name exists (a pod may still be terminating).
    case alreadyExists(KubernetesCall, message: String)
    /// 409 `Conflict`: a precondition (resourceVersion, uid) did not hold.
    case conflict(KubernetesCall, message: String)
    /// 401: the token or client certificate was refused, also after re-reading the token file.
    case unauthorized(KubernetesCall, message: String)
    /// 403: authenticated but not allowed (RBAC).
    case forbidden(KubernetesCall, message: String)
    /// 422 `Invalid`: the object was refused by validation; the message lists the fields.
    case invalid(KubernetesCall, message: String)
    /// 410 `Expired`: a `continue` token is too old; the list must start again.
    case expired(KubernetesCall, message: String)
    /// Any other 4xx (400, 405, 406, 413, 415, …): the request itself is wrong and is not retried.
    case badRequest(KubernetesCall, code: Int, message: String)
    /// 429, after the retries allowed; `retryAfter` is the server's last `Retry-After`, if it gave one.
    case tooManyRequests(KubernetesCall, retryAfter: Duration?)
    /// 5xx, after the retries allowed.
    case serverError(KubernetesCall, code: Int, message: String)
    /// No answer within the client's total timeout, or the server's own 504 / `Timeout`.
    case timeout(KubernetesCall, message: String)
    /// The request did not complete: connection refused or reset, TLS failure, … `code` is libcurl's `CURLcode`.
    case transport(KubernetesCall, code: Int, message: String)
    /// A 2xx answer whose body is not the JSON expected.
    case decoding(KubernetesCall, message: String)
    /// The task making the call was cancelled (shutdown) before it finished.
    case cancelled(KubernetesCall)
    /// A paginated listing that would not end (a repeated `continue` token, too many pages: `PageGuard`).
    case paginationAbandoned(KubernetesCall, message: String)

    /// The call this error belongs to.
    public var call: KubernetesCall {
        switch self {
        case .notFound(let call, _), .alreadyExists(let call, _), .conflict(let call, _), .unauthorized(let call, _),
            .forbidden(let call, _), .invalid(let call, _), .expired(let call, _), .badRequest(let call, _, _),
            .tooManyRequests(let call, _), .serverError(let call, _, _), .timeout(let call, _),
            .transport(let call, _, _), .decoding(let call, _), .cancelled(let call),
            .paginationAbandoned(let call, _):
            return call
        }
    }
}
