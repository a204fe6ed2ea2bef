import Foundation
import InMemoryLogging
import Kubernetes
import KubernetesClient
import Logging
import Prometheus
import TestSupport
import Testing

/// What the client tells operators: request metrics on the registry passed in, and logs without secrets.
@Suite(.serialized) struct ClientObservabilityTests {
    @Test func requests_areCountedByVerbAndCode_andTimed() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let registry = PrometheusCollectorRegistry()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(), registry: registry)
        try fake.addFault(#"{"status": 500, "method": "GET"}"#)

        _ = try await client.getNode(named: "akswin000000")
        _ = await caught { () async throws(KubernetesError) in try await client.getNode(named: "missing") }

        let text = Self.exposition(registry)
        #expect(text.contains(#"cops_vigilante_kube_api_requests_total{verb="get_node",code="500"} 1"#))
        #expect(text.contains(#"cops_vigilante_kube_api_requests_total{verb="get_node",code="200"} 1"#))
        #expect(text.contains(#"cops_vigilante_kube_api_requests_total{verb="get_node",code="404"} 1"#))
        #expect(text.contains(#"cops_vigilante_kube_api_request_duration_seconds_count{verb="get_node"} 3"#))
    }

    @Test func failedConnections_areCountedWithCodeError() async throws {
        let fake = try await FakeAPIServer.start()
        let registry = PrometheusCollectorRegistry()
        var options = TestClients.quickOptions
        options.retry = .none
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(), options: options, registry: registry)
        try await fake.kill()

        _ = await caught { () async throws(KubernetesError) in try await client.listNodes(NodeListOptions()) }

        #expect(
            Self.exposition(registry).contains(
                #"cops_vigilante_kube_api_requests_total{verb="list_nodes",code="error"} 1"#))
    }

    @Test func logs_neverContainTheTokenOrTheKey() async throws {
        let scratch = try TemporaryDirectory()
        let tokenFile = try scratch.write("token", "first-secret-token\n")
        let fake = try await FakeAPIServer.start(tokens: [], tokenFile: tokenFile)
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .trace
        let tokenClient = try TestClients.client(
            kubeconfig: fake.kubeconfig(token: nil, tokenFile: tokenFile), logger: logger)
        let certificateClient = try TestClients.client(
            kubeconfig: fake.kubeconfig(name: "inline", token: nil, clientCertificate: true, certificateInline: true),
            logger: logger)
        try fake.addFault(#"{"status": 503, "method": "GET"}"#)

        _ = try await certificateClient.listNodes(NodeListOptions())
        _ = try await tokenClient.listNodes(NodeListOptions())
        try scratch.write("token", "second-secret-token\n")
        _ = try await tokenClient.listNodes(NodeListOptions())
        _ = await caught { () async throws(KubernetesError) in try await tokenClient.getNode(named: "missing") }

        let key = try String(contentsOfFile: fake.clientKey, encoding: .utf8)
        let keyLine = try #require(key.split(separator: "\n").dropFirst().first)
        let lines = handler.entries.map { "\($0.message) \($0.metadata)" }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(!line.contains("secret-token"), "\(line)")
            #expect(!line.contains(keyLine), "\(line)")
        }
        #expect(!"\(tokenClient.config)".contains("secret-token"))
        #expect(!"\(certificateClient.config)".contains(keyLine))
    }

    static func exposition(_ registry: PrometheusCollectorRegistry) -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
