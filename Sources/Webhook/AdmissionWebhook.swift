import Foundation
public import HTTPServer
import Kubernetes
public import Logging

/// `POST /validate`: reads an AdmissionReview, answers "allowed" in the same version with the same uid, and hands
/// each Node event to the sink. It never denies: a node operation must never be blocked by this product.
///
/// Checks, in order (each refusal names what is wrong): an empty body (400), the content type (415), the JSON
/// (400), kind and apiVersion (400), the request and its uid (400). Bodies over the limit never get here: the
/// HTTP layer answers 413 before reading them.
public struct AdmissionWebhook: Sendable {
    private let sink: any NodeEventSink
    private let metrics: WebhookMetrics
    private let logger: Logger

    public init(sink: any NodeEventSink, metrics: WebhookMetrics, logger: Logger) {
        self.sink = sink
        self.metrics = metrics
        self.logger = logger
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = ContinuousClock.now
        let (response, operation, result) = review(request)
        metrics.record(operation: operation, result: result, duration: started.duration(to: .now))
        return response
    }

    private func review(_ request: HTTPRequest) -> (HTTPResponse, String?, WebhookMetrics.Result) {
        guard !request.body.isEmpty else {
            return (refusal(.badRequest, "the request body is empty; expected an AdmissionReview"), nil, .invalid)
        }
        let contentType = request.head.headers["Content-Type"] ?? ""
        guard Self.isJSON(contentType) else {
            return (
                refusal(.unsupportedMediaType, "Content-Type must be application/json, not \"\(contentType)\""), nil,
                .invalid
            )
        }
        let review: AdmissionReview
        do {
            review = try AdmissionReview.decode(request.body)
        } catch {
            return (refusal(.badRequest, "the body is not an AdmissionReview: \(error)"), nil, .invalid)
        }
        guard review.kind == "AdmissionReview", let apiVersion = review.apiVersion,
            AdmissionReview.supportedVersions.contains(apiVersion)
        else {
            return (
                refusal(
                    .badRequest,
                    "expected kind AdmissionReview with apiVersion admission.k8s.io/v1 or v1beta1, got kind "
                        + "\(review.kind ?? "(none)") apiVersion \(review.apiVersion ?? "(none)")"), nil, .invalid
            )
        }
        guard let admission = review.request, let uid = admission.uid, !uid.isEmpty else {
            return (refusal(.badRequest, "the AdmissionReview has no request with a uid"), nil, .invalid)
        }
        let answer = HTTPResponse(
            status: .ok, headers: Self.jsonHeaders, body: AdmissionResponse.allowed(apiVersion: apiVersion, uid: uid))
        return (answer, admission.operation, forward(admission))
    }

    /// Hands a Node event to the sink; returns the metric result.
    private func forward(_ admission: AdmissionReview.Request) -> WebhookMetrics.Result {
        guard admission.isNode,
            let operation = admission.operation.flatMap(NodeEvent.Operation.init(rawValue:))
        else { return .ignored }
        guard !admission.dryRun else {
            logger.debug("Dry-run review answered without effect", metadata: ["node": "\(admission.name ?? "")"])
            return .dryRun
        }
        guard var node = admission.node else { return .ignored }
        if node.metadata.name == nil { node.metadata.name = admission.name }
        sink.nodeChanged(
            NodeEvent(
                operation: operation, node: node, subResource: admission.subResource,
                previousResourceVersion: admission.previousResourceVersion))
        return .allowed
    }

    /// Built once and shared by every answer (copy-on-write).
    private static let jsonHeaders = HTTPHeaders([("Content-Type", "application/json")])
    private static let jsonMediaType = Array("application/json".utf8)

    /// Whether a Content-Type is `application/json`, with any parameters (`; charset=utf-8`), in any case.
    /// Byte-wise: this runs on every call, and Foundation's trimming costs more than the check itself.
    static func isJSON(_ contentType: String) -> Bool {
        let expected = jsonMediaType
        var bytes = contentType.utf8[...]
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes = bytes[..<semicolon] }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        guard bytes.count == expected.count else { return false }
        // ASCII lower-casing: setting bit 5 maps A-Z to a-z and leaves the other bytes of "application/json" alone.
        return zip(bytes, expected).allSatisfy { byte, wanted in
            byte == wanted || (wanted >= UInt8(ascii: "a") && wanted <= UInt8(ascii: "z") && byte | 0x20 == wanted)
        }
    }

    private func refusal(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        logger.notice("Refused an admission request", metadata: ["status": "\(status.code)", "reason": "\(message)"])
        return .text(status, message + "\n")
    }
}
