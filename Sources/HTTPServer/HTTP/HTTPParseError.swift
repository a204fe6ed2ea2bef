/// Why a request could not be parsed. The connection answers `status` with `reason` as the body and then closes:
/// after a framing error the position of the next request in the byte stream is unknown (RFC 9112 §6.3, §11.2).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPStatus
    /// A short, client-facing sentence naming the rule that was broken, e.g. "Content-Length is not a number".
    public var reason: String

    public init(status: HTTPStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status): \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: .badRequest, reason: reason)
    }
}
