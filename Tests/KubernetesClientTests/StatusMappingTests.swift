import Kubernetes
import Testing

/// How a non-2xx answer becomes a `KubernetesError`: the Status reason first, then the HTTP status.
@Suite struct StatusMappingTests {
    static let get = KubernetesCall(verb: .getNode, method: "GET", path: "/api/v1/nodes/n")
    static let create = KubernetesCall(verb: .createPod, method: "POST", path: "/api/v1/namespaces/x/pods")

    static func map(
        _ code: Int, reason: String? = nil, message: String? = "m", call: KubernetesCall = get
    )
        -> KubernetesError
    {
        let status = reason == nil && message == nil ? nil : Status(message: message, reason: reason, code: code)
        return KubernetesError(httpStatus: code, status: status, retryAfter: nil, rawBody: nil, call: call)
    }

    @Test(arguments: [
        (404, "NotFound", "notFound"), (409, "AlreadyExists", "alreadyExists"), (409, "Conflict", "conflict"),
        (401, "Unauthorized", "unauthorized"), (403, "Forbidden", "forbidden"), (422, "Invalid", "invalid"),
        (410, "Expired", "expired"), (429, "TooManyRequests", "tooManyRequests"), (500, "InternalError", "serverError"),
        (503, "ServiceUnavailable", "serverError"), (504, "Timeout", "timeout"), (500, "ServerTimeout", "timeout"),
        (400, "BadRequest", "badRequest"), (415, "UnsupportedMediaType", "badRequest"),
    ])
    func statusReason_decidesTheCase(code: Int, reason: String, expected: String) {
        #expect(Self.map(code, reason: reason).caseName == expected)
    }

    @Test func withoutAStatusBody_theHTTPStatusDecides() {
        #expect(Self.map(404, message: nil).caseName == "notFound")
        #expect(Self.map(502, message: nil).caseName == "serverError")
        #expect(Self.map(504, message: nil).caseName == "timeout")
        #expect(Self.map(409, message: nil).caseName == "conflict")
        #expect(Self.map(409, message: nil, call: Self.create).caseName == "alreadyExists")
    }

    @Test func retryAfter_comesFromTheHeader_elseFromTheStatusDetails() {
        let details = Status(reason: "TooManyRequests", details: Status.Details(retryAfterSeconds: 3), code: 429)

        let fromDetails = KubernetesError(
            httpStatus: 429, status: details, retryAfter: nil, rawBody: nil, call: Self.get)
        let fromHeader = KubernetesError(
            httpStatus: 429, status: details, retryAfter: .seconds(9), rawBody: nil, call: Self.get)

        #expect(fromDetails == .tooManyRequests(Self.get, retryAfter: .seconds(3)))
        #expect(fromHeader == .tooManyRequests(Self.get, retryAfter: .seconds(9)))
    }

    @Test func invalid_namesTheFieldsOfItsCauses() {
        let status = Status(
            message: #"Pod "p" is invalid"#, reason: "Invalid",
            details: Status.Details(causes: [
                Status.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.containers")
            ]),
            code: 422)

        let error = KubernetesError(httpStatus: 422, status: status, retryAfter: nil, rawBody: nil, call: Self.create)

        #expect(error == .invalid(Self.create, message: #"Pod "p" is invalid (spec.containers: Required value)"#))
    }

    @Test func aBodyThatIsNotAStatus_isQuotedInTheMessage() {
        let error = KubernetesError(
            httpStatus: 502, status: nil, retryAfter: nil, rawBody: "<html>Bad Gateway</html>", call: Self.get)

        #expect(
            error
                == .serverError(
                    Self.get, code: 502, message: "HTTP 502 with a body that is not a Status: <html>Bad Gateway</html>")
        )
    }

    @Test func description_namesTheCallAndTheServersMessage() {
        let error = KubernetesError.notFound(Self.get, message: #"nodes "n" not found"#)

        #expect(error.description == #"get_node GET /api/v1/nodes/n: not found: nodes "n" not found"#)
    }
}
