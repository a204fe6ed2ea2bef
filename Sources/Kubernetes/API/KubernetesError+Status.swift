extension KubernetesError {
    /// The error for a non-2xx answer: `httpStatus` and, when the body was a `Status`, its `reason` and message.
    ///
    /// The reason wins over the code where both are given (the API server sends 409 for both `AlreadyExists` and
    /// `Conflict`, and 500 with reason `ServerTimeout`); without a Status body the HTTP status decides, and a 409
    /// on a create is `alreadyExists`. `retryAfter` is the `Retry-After` header, else `details.retryAfterSeconds`.
    public init(httpStatus: Int, status: Status?, retryAfter: Duration?, rawBody: String?, call: KubernetesCall) {
        let message = Self.message(status: status, rawBody: rawBody, httpStatus: httpStatus)
        let retryAfter = retryAfter ?? status?.details?.retryAfterSeconds.map { Duration.seconds($0) }
        switch (status?.reason, httpStatus) {
        case ("NotFound", _), (_, 404): self = .notFound(call, message: message)
        case ("AlreadyExists", _): self = .alreadyExists(call, message: message)
        case ("Conflict", _): self = .conflict(call, message: message)
        case (_, 409):
            self = call.verb.isCreate ? .alreadyExists(call, message: message) : .conflict(call, message: message)
        case ("Unauthorized", _), (_, 401): self = .unauthorized(call, message: message)
        case ("Forbidden", _), (_, 403): self = .forbidden(call, message: message)
        case ("Invalid", _), (_, 422): self = .invalid(call, message: message)
        case ("Expired", _), ("Gone", _), (_, 410): self = .expired(call, message: message)
        case ("TooManyRequests", _), (_, 429): self = .tooManyRequests(call, retryAfter: retryAfter)
        case ("Timeout", _), ("ServerTimeout", _), (_, 504): self = .timeout(call, message: message)
        case (_, 500...599): self = .serverError(call, code: httpStatus, message: message)
        default: self = .badRequest(call, code: httpStatus, message: message)
        }
    }

    /// The Status message with its causes (the fields an `Invalid` answer names), else the start of the body.
    private static func message(status: Status?, rawBody: String?, httpStatus: Int) -> String {
        if let status {
            var text = status.message ?? status.reason ?? "HTTP \(httpStatus)"
            let causes = (status.details?.causes ?? []).compactMap { cause -> String? in
                guard let message = cause.message else { return nil }
                return cause.field.map { "\($0): \(message)" } ?? message
            }
            if !causes.isEmpty, !causes.allSatisfy({ text.contains($0) }) {
                text += " (" + causes.joined(separator: "; ") + ")"
            }
            return text
        }
        guard let rawBody, !rawBody.isEmpty else { return "HTTP \(httpStatus) without a body" }
        // A proxy's HTML error page can be long; the start is enough to recognise it.
        let limit = 200
        let start = rawBody.prefix(limit).trimmingWhitespace
        return "HTTP \(httpStatus) with a body that is not a Status: \(start)\(rawBody.count > limit ? "…" : "")"
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
