import Foundation
import HTTPServer
import Kubernetes
import Logging
import Prometheus
import Synchronization
import TestSupport
import Testing
import Webhook

/// Collects the Node events the webhook hands on.
final class RecordingSink: NodeEventSink {
    private let events = Mutex<[NodeEvent]>([])

    func nodeChanged(_ event: NodeEvent) { events.withLock { $0.append(event) } }
    var received: [NodeEvent] { events.withLock { $0 } }
}

/// `POST /validate` as the API server calls it, without sockets.
@Suite struct AdmissionWebhookTests {
    let sink: RecordingSink
    let registry = PrometheusCollectorRegistry()
    let webhook: AdmissionWebhook

    init() {
        self.init(sink: RecordingSink())
    }

    init(sink: RecordingSink) {
        self.sink = sink
        webhook = AdmissionWebhook(
            sink: sink, metrics: WebhookMetrics(registry: registry), logger: Logger(label: "test"))
    }

    func post(_ body: [UInt8], contentType: String = "application/json") -> HTTPResponse {
        var headers = HTTPHeaders([("Host", "vigilante")])
        headers.add(name: "Content-Type", value: contentType)
        let head = HTTPRequestHead(
            method: "POST", target: "/validate?timeout=10s", headers: headers, contentLength: body.count)
        return webhook.handle(HTTPRequest(head: head, body: body))
    }

    func post(json: String) -> HTTPResponse { post(Array(json.utf8)) }

    private func answer(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// A review of a Node, as the API server sends it (labels, conditions, and the bulk it carries).
    static func nodeReview(
        version: String = "admission.k8s.io/v1", operation: String = "UPDATE", subResource: String? = "status",
        name: String = "akswin000003", os: String = "windows", ready: String = "True", dryRun: Bool = false
    ) -> String {
        let node = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"\(name)","uid":"6f0c","resourceVersion":"123",\
            "labels":{"kubernetes.io/os":"\(os)","kubernetes.io/hostname":"\(name)","agentpool":"win"},\
            "annotations":{"node.alpha.kubernetes.io/ttl":"0"},"managedFields":[{"manager":"kubelet","fieldsV1":{}}]},\
            "spec":{"providerID":"azure:///x"},"status":{"conditions":[{"type":"MemoryPressure","status":"False"},\
            {"type":"Ready","status":"\(ready)","reason":"KubeletReady"}],"images":[{"names":["mcr.microsoft.com/a"],\
            "sizeBytes":1}],"nodeInfo":{"operatingSystem":"windows"}}}
            """
        let sub = subResource.map { ",\"subResource\":\"\($0)\"" } ?? ""
        return """
            {"apiVersion":"\(version)","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",\
            "kind":{"group":"","version":"v1","kind":"Node"},"resource":{"group":"","version":"v1","resource":"nodes"}\(sub),\
            "name":"\(name)","operation":"\(operation)","userInfo":{"username":"system:node:\(name)"},\
            "object":\(operation == "DELETE" ? "null" : node),"oldObject":\(operation == "CREATE" ? "null" : node),\
            "dryRun":\(dryRun),"options":{"kind":"UpdateOptions","apiVersion":"meta.k8s.io/v1"}}}
            """
    }

    @Test func anUpdate_handsOnTheResourceVersionStoredWhenTheAPIServerCalled() {
        // The scheduler reads the node back until its version differs from the oldObject's: the change is stored.
        let review = Self.nodeReview().replacingOccurrences(
            of:
                #""oldObject":{"apiVersion":"v1","kind":"Node","metadata":{"name":"akswin000003","uid":"6f0c","resourceVersion":"123""#,
            with:
                #""oldObject":{"apiVersion":"v1","kind":"Node","metadata":{"name":"akswin000003","uid":"6f0c","resourceVersion":"122""#
        )
        #expect(post(json: review).status == .ok)
        #expect(sink.received.first?.previousResourceVersion == "122")
        #expect(sink.received.first?.node.metadata.resourceVersion == "123")
    }

    @Test(arguments: ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"])
    func nodeReview_isAllowedInTheSameVersionWithTheSameUID(version: String) throws {
        let response = post(json: Self.nodeReview(version: version))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == "{\"apiVersion\":\"\(version)\",\"kind\":\"AdmissionReview\",\"response\":"
                + "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":true}}")
    }

    @Test func statusUpdateOfAWindowsNode_isHandedToTheSink() throws {
        _ = post(json: Self.nodeReview())
        let event = try #require(sink.received.first)
        #expect(event.operation == .update)
        #expect(event.subResource == "status")
        #expect(event.node.name == "akswin000003")
        #expect(event.node.isWindows && event.node.isReady)
    }

    @Test func createAndDelete_areHandedToTheSink() throws {
        _ = post(json: Self.nodeReview(operation: "CREATE", subResource: nil, ready: "False"))
        _ = post(json: Self.nodeReview(operation: "DELETE", subResource: nil))
        #expect(sink.received.map(\.operation) == [.create, .delete])
        #expect(sink.received.first?.node.isReady == false)
        #expect(sink.received.last?.node.name == "akswin000003", "DELETE carries the node in oldObject")
    }

    @Test func dryRun_isAnsweredButNotHandedOn() throws {
        let response = post(json: Self.nodeReview(dryRun: true))
        #expect(response.status == .ok)
        #expect(try answer(response)["kind"] as? String == "AdmissionReview")
        #expect(sink.received.isEmpty)
    }

    @Test(arguments: [
        "k8s-testdata/admission.k8s.io.v1.AdmissionReview.json",
        "k8s-testdata/admission.k8s.io.v1beta1.AdmissionReview.json",
        "real/admissionreview-v1-event-create-kubelet-openshift-2023.json",
        "real/admissionreview-v1-lease-update-kubelet-nodelease-openshift-2023.json",
        "real/admissionreview-v1-namespace-create-openshift-2023.json",
        "real/admissionreview-v1-namespace-update-openshift-2023.json",
    ])
    func realReviewOfAnotherKind_isAllowedAndIgnored(fixture: String) throws {
        let body = try Fixtures.data(fixture)
        let request = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let uid = (request["request"] as? [String: Any])?["uid"] as? String
        let response = post([UInt8](body))
        #expect(response.status == .ok)
        let json = try answer(response)
        #expect(json["apiVersion"] as? String == request["apiVersion"] as? String)
        #expect((json["response"] as? [String: Any])?["uid"] as? String == uid)
        #expect((json["response"] as? [String: Any])?["allowed"] as? Bool == true)
        #expect(sink.received.isEmpty)
    }

    @Test func realNodeObject_fromKubernetesTestdata_decodes() throws {
        let node = try Fixtures.data("k8s-testdata/core.v1.Node.json")
        let review = Self.nodeReview().replacingOccurrences(
            of: #""object":{"apiVersion""#,
            with: #""object":\#(String(decoding: node, as: UTF8.self)),"unused":{"apiVersion""#)
        let response = post(json: review)
        #expect(response.status == .ok)
        #expect(sink.received.first?.node.name == "nameValue")
    }

    @Test(arguments: [
        ("", "the request body is empty; expected an AdmissionReview"),
        ("not json", "the body is not an AdmissionReview: expected an object at byte 0"),
        ("[1,2]", "the body is not an AdmissionReview: expected an object at byte 0"),
        (#"{"kind":"AdmissionReview""#, "the body is not an AdmissionReview: unexpected end of data at byte 25"),
        (
            #"{"kind":"Pod","apiVersion":"v1"}"#,
            "expected kind AdmissionReview with apiVersion admission.k8s.io/v1 or v1beta1, got kind Pod apiVersion v1"
        ),
        (
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v2"}"#,
            "expected kind AdmissionReview with apiVersion admission.k8s.io/v1 or v1beta1, got kind AdmissionReview apiVersion admission.k8s.io/v2"
        ),
        (
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}"#,
            "the AdmissionReview has no request with a uid"
        ),
        (
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"operation":"CREATE"}}"#,
            "the AdmissionReview has no request with a uid"
        ),
        (
            #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":7}}"#,
            "the body is not an AdmissionReview: request.uid: expected a string at byte 78"
        ),
    ])
    func malformedBody_gets400WithAMessage(body: String, message: String) {
        let response = post(json: body)
        #expect(response.status == .badRequest)
        #expect(String(decoding: response.body, as: UTF8.self) == message + "\n")
        #expect(sink.received.isEmpty)
    }

    @Test func wrongContentType_gets415() {
        let response = post(Array(Self.nodeReview().utf8), contentType: "application/yaml")
        #expect(response.status == .unsupportedMediaType)
        #expect(String(decoding: response.body, as: UTF8.self).contains("Content-Type must be application/json"))
    }

    @Test func contentTypeWithCharset_isAccepted() {
        #expect(post(Array(Self.nodeReview().utf8), contentType: "application/json; charset=utf-8").status == .ok)
    }

    @Test func everyAnswer_isCountedByOperationAndResult() {
        _ = post(json: Self.nodeReview())
        _ = post(json: Self.nodeReview(dryRun: true))
        _ = post(json: "garbage")
        let exposition = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        #expect(exposition.contains(#"cops_vigilante_admission_requests_total{operation="UPDATE",result="allowed"} 1"#))
        #expect(exposition.contains(#"cops_vigilante_admission_requests_total{operation="UPDATE",result="dry_run"} 1"#))
        #expect(
            exposition.contains(#"cops_vigilante_admission_requests_total{operation="unknown",result="invalid"} 1"#))
        #expect(exposition.contains("cops_vigilante_admission_duration_seconds_count 3"))
    }
}

extension AdmissionWebhookTests {
    @Test func nullRequestAndKind_areReadAsAbsent() {
        #expect(
            post(json: #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":null}"#).status
                == .badRequest)
        let review = #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u","kind":null}}"#
        #expect(post(json: review).status == .ok)
    }
}

/// The API server writes `kind` and `operation` before the objects; other writers may not.
extension AdmissionWebhookTests {
    static func node(_ name: String, ready: String = "True") -> String {
        """
        {"metadata":{"name":"\(name)","labels":{"kubernetes.io/os":"windows"}},\
        "status":{"conditions":[{"type":"Ready","status":"\(ready)"}]}}
        """
    }

    @Test func objectsBeforeKindAndOperation_stillChooseTheRightNode() throws {
        let review = """
            {"request":{"object":\(Self.node("new-node")),"oldObject":\(Self.node("old-node", ready: "False")),\
            "uid":"u1","operation":"UPDATE","kind":{"group":"","version":"v1","kind":"Node"}},\
            "kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}
            """
        #expect(post(json: review).status == .ok)
        let event = try #require(sink.received.first)
        #expect(event.node.name == "new-node")
        #expect(event.node.isReady)
    }

    @Test func aDeleteReadsTheOldObjectEvenWhenTheNewOneComesFirst() throws {
        let review = """
            {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u2",\
            "kind":{"group":"","version":"v1","kind":"Node"},"operation":"DELETE",\
            "object":\(Self.node("ignored")),"oldObject":\(Self.node("deleted-node"))}}
            """
        #expect(post(json: review).status == .ok)
        #expect(sink.received.map(\.node.name) == ["deleted-node"])
    }

    @Test func anUpdateWithANullObjectFallsBackToTheOldObject() throws {
        let review = """
            {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u3",\
            "kind":{"group":"","version":"v1","kind":"Node"},"operation":"UPDATE",\
            "object":null,"oldObject":\(Self.node("only-old"))}}
            """
        #expect(post(json: review).status == .ok)
        #expect(sink.received.map(\.node.name) == ["only-old"])
    }

    @Test func aBrokenObjectIs400NamingTheFieldAndTheByte() {
        let review = """
            {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u4",\
            "kind":{"group":"","version":"v1","kind":"Node"},"operation":"CREATE",\
            "object":{"metadata":{"name":42}}}}
            """
        let response = post(json: review)
        #expect(response.status == .badRequest)
        let message = String(decoding: response.body, as: UTF8.self)
        #expect(message.contains("request.object"), "\(message)")
        #expect(message.contains("at byte"), "\(message)")
    }

    @Test func aBrokenRequestBetweenMembersIs400NamingTheRequestAndTheByte() {
        let review = #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u5" "x":1}}"#
        let response = post(json: review)
        #expect(response.status == .badRequest)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == "the body is not an AdmissionReview: request: expected ',' or '}' in an object at byte 83\n")
    }

    @Test(arguments: [
        ("application/json", true), ("Application/JSON", true), (" application/json ;charset=utf-8", true),
        ("application/json\t; charset=UTF-8", true), ("application/jsonx", false), ("application/yaml", false),
        ("", false), ("text/json", false), ("application/json-patch+json", false),
    ])
    func contentTypes(contentType: String, accepted: Bool) {
        let status = post(Array(Self.nodeReview().utf8), contentType: contentType).status
        #expect(status == (accepted ? .ok : .unsupportedMediaType), "\(contentType)")
    }
}

/// One node model from both paths: the webhook hands on the Node the resync would read from a node list.
extension AdmissionWebhookTests {
    @Test func theSinkGetsTheNodeAsTheResyncReadsIt_everyLabelAndAnnotation() throws {
        let node = """
            {"metadata":{"name":"n","uid":"u-1","resourceVersion":"42","labels":{"kubernetes.io/os":"windows",\
            "agentpool":"win"},"annotations":{"cops-vigilante-snat-node-healed":"false","other":"x"}},\
            "status":{"conditions":[{"type":"Ready","status":"True"}],"images":[{"names":["pause"]}]}}
            """
        let review = """
            {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u",\
            "kind":{"group":"","version":"v1","kind":"Node"},"operation":"UPDATE","object":\(node)}}
            """
        #expect(post(json: review).status == .ok)
        let reviewed = try #require(sink.received.first?.node)

        let list = try JSONReader.read(Array(#"{"items":[\#(node)]}"#.utf8)) {
            (reader: inout JSONReader) throws(JSONReadError) in try NodeList(reading: &reader)
        }
        #expect(reviewed == list.items.first)
        #expect(reviewed.metadata.labels == ["kubernetes.io/os": "windows", "agentpool": "win"])
        #expect(reviewed.metadata.annotations == ["cops-vigilante-snat-node-healed": "false", "other": "x"])
    }
}

/// Bodies the API server never sends but anyone can: read as Go's encoding/json reads them (the API server's side),
/// so the answer is the one the API server would accept. Go: the last of duplicate keys wins; null leaves a string
/// as it was and empties a pointer; invalid UTF-8 and lone surrogates become U+FFFD, one per bad byte.
extension AdmissionWebhookTests {
    static func request(uid: String, node: String) -> String {
        """
        {"uid":"\(uid)","kind":{"group":"","version":"v1","kind":"Node"},"operation":"CREATE",\
        "object":\(Self.node(node))}
        """
    }

    private func uid(_ response: HTTPResponse) -> String? {
        let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (answer?["response"] as? [String: Any])?["uid"] as? String
    }

    @Test func duplicateRequests_theLastOneWins() {
        let body = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",\
            "request":\(Self.request(uid: "first", node: "first-node")),\
            "request":\(Self.request(uid: "second", node: "second-node"))}
            """
        let response = post(json: body)
        #expect(response.status == .ok)
        #expect(uid(response) == "second")
        #expect(sink.received.map(\.node.name) == ["second-node"])
    }

    @Test func aNullRequestAfterARequest_leavesNoRequest() {
        let body = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",\
            "request":\(Self.request(uid: "first", node: "first-node")),"request":null}
            """
        #expect(post(json: body).status == .badRequest)
        #expect(sink.received.isEmpty)
    }

    @Test func aNullUIDAfterAUID_leavesTheUID_andARepeatedObjectReplacesTheFirst() {
        let body = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"kept","uid":null,\
            "kind":{"group":"","version":"v1","kind":"Node"},"operation":"CREATE",\
            "object":\(Self.node("first-node")),"object":\(Self.node("last-node"))}}
            """
        let response = post(json: body)
        #expect(uid(response) == "kept")
        #expect(sink.received.map(\.node.name) == ["last-node"])
    }

    @Test func aUIDWithInvalidUTF8OrALoneSurrogate_isEchoedWithReplacementCharacters() throws {
        func review(uid: [UInt8]) -> [UInt8] {
            Array(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":""#.utf8) + uid
                + Array(#"","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE"}}"#.utf8)
        }
        let invalid = post(review(uid: Array("a".utf8) + [0xFF, 0xFE] + Array("b".utf8)))
        #expect(uid(invalid) == "a\u{FFFD}\u{FFFD}b")
        let surrogate = post(review(uid: Array(#"a\ud800b"#.utf8)))
        #expect(uid(surrogate) == "a\u{FFFD}b")
    }
}
