import Foundation

/// One HTTP exchange with the API server, without retries: the seam between the retry loop and libcurl, so that
/// the loop is tested with scripted answers.
protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the answer or why there is none; never throws, never retries.
    func perform(_ request: TransportRequest) async -> TransportResult

    /// Like `perform`, but a 2xx answer's body is handed to `onBody` as it arrives instead of being kept (the
    /// response returned has an empty body); `onBody` returning false stops the transfer. Other answers are kept
    /// whole, as by `perform`.
    func stream(_ request: TransportRequest, onBody: @escaping BodySink) async -> TransportResult
}

/// Receives the pieces of a streamed body on the transfer's thread, one call at a time.
typealias BodySink = @Sendable (UnsafeRawBufferPointer) -> Bool

extension HTTPTransport {
    /// For transports that cannot stream (tests' scripted answers): the whole body in one piece.
    func stream(_ request: TransportRequest, onBody: @escaping BodySink) async -> TransportResult {
        let result = await perform(request)
        guard case .response(var response) = result, (200..<300).contains(response.status) else { return result }
        let body = response.body
        response.body = []
        let accepted = body.withUnsafeBytes { onBody($0) }
        guard accepted else {
            // 23 is CURLE_WRITE_ERROR, what a write callback refusing data ends a transfer with.
            return .failure(TransportFailure(code: 23, message: "the streamed body was refused", kind: .permanent))
        }
        return .response(response)
    }
}

/// A request as the transport sends it; the server's base URL is the transport's.
struct TransportRequest: Sendable {
    var method: String
    /// Path and query, e.g. `/api/v1/nodes?limit=500`.
    var path: String
    var body: [UInt8]?
    var contentType: String?
    /// Set per attempt by the retry loop (the token file may have changed between attempts).
    var bearerToken: String?
    /// The whole exchange may take this long instead of the client's request timeout (a watch).
    var timeout: Duration?
    /// Whether the retry loop sends the request again after a 429. An eviction's 429 is a PodDisruptionBudget's
    /// answer that holds for minutes: its caller asks again later instead.
    var retriesTooManyRequests = true

    init(method: String, path: String, body: [UInt8]? = nil, contentType: String? = nil) {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
    }
}

enum TransportResult: Sendable {
    case response(TransportResponse)
    case failure(TransportFailure)
}

/// A complete HTTP answer, whatever its status.
struct TransportResponse: Sendable {
    var status: Int
    /// The `Retry-After` header as sent.
    var retryAfter: String?
    var body: [UInt8]

    /// `Retry-After` in seconds (the API server sends delta-seconds, not an HTTP date).
    var retryAfterDuration: Duration? {
        guard let text = retryAfter?.trimmingCharacters(in: .whitespacesAndNewlines), let seconds = Int(text),
            seconds >= 0
        else { return nil }
        return .seconds(seconds)
    }
}

/// No complete answer: the libcurl code and message, and whether another attempt may succeed.
struct TransportFailure: Sendable, Error {
    enum Kind: Sendable {
        /// Connection refused, reset, dropped mid-answer, name resolution, …: worth another attempt.
        case connection
        /// No answer within the total timeout: worth another attempt.
        case timeout
        /// The TLS handshake or the server's certificate failed verification: retrying will not help.
        case tls
        /// The request could not be made at all (bad URL, answer over the size limit, …).
        case permanent
    }

    var code: Int
    var message: String
    var kind: Kind

    var isRetryable: Bool { kind == .connection || kind == .timeout }
}
