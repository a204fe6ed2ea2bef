/// A `meta/v1` Status: the body of every error answer of the API server (Kubernetes API conventions,
/// "Response Status Kind"). Only what the error mapping reads is decoded.
public struct Status: Codable, Sendable, Equatable {
    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    /// A CamelCase word such as `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `TooManyRequests`.
    public var reason: String?
    public var details: Details?
    public var code: Int?

    public struct Details: Codable, Sendable, Equatable {
        public var name: String?
        public var kind: String?
        public var retryAfterSeconds: Int?
        public var causes: [Cause]?

        public init(name: String? = nil, kind: String? = nil, retryAfterSeconds: Int? = nil, causes: [Cause]? = nil) {
            self.name = name
            self.kind = kind
            self.retryAfterSeconds = retryAfterSeconds
            self.causes = causes
        }
    }

    /// One field problem of an `Invalid` answer.
    public struct Cause: Codable, Sendable, Equatable {
        public var reason: String?
        public var message: String?
        public var field: String?

        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public init(
        status: String? = nil, message: String? = nil, reason: String? = nil, details: Details? = nil,
        code: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}
