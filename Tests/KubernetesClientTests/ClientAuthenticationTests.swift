import Foundation
import Kubernetes
import KubernetesClient
import TestSupport
import Testing

/// Every way a kubeconfig can identify the client and the server, against the fake over real HTTPS.
@Suite(.serialized) struct ClientAuthenticationTests {
    @Test func tokenKubeconfig_withCAPath_authenticatesWithTheToken() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        _ = try await client.listNodes(NodeListOptions())

        let logged = try #require(try fake.requests().last)
        #expect(logged.status == 200)
        #expect(logged.authMethod == "token")
        #expect(logged.user == "token-user-0")
    }

    @Test func tokenKubeconfig_withCAData_verifiesTheServer() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(caInline: true))

        _ = try await client.listNodes(NodeListOptions())

        #expect(try fake.requests().last?.status == 200)
    }

    @Test func clientCertificateKubeconfig_withFiles_authenticatesAsTheCertificatesSubject() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(token: nil, clientCertificate: true))

        _ = try await client.listNodes(NodeListOptions())

        let logged = try #require(try fake.requests().last)
        #expect(logged.authMethod == "x509")
        #expect(logged.user == "cops-vigilante")
    }

    @Test func clientCertificateKubeconfig_withInlineData_authenticatesAsTheCertificatesSubject() async throws {
        let fake = try await FakeAPIServer.start()
        let kubeconfig = try fake.kubeconfig(
            caInline: true, token: nil, clientCertificate: true, certificateInline: true)
        let client = try TestClients.client(kubeconfig: kubeconfig)

        _ = try await client.listNodes(NodeListOptions())

        #expect(try fake.requests().last?.authMethod == "x509")
    }

    @Test func insecureSkipTLSVerify_connectsWithoutTheCA() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(insecure: true))

        _ = try await client.listNodes(NodeListOptions())

        #expect(try fake.requests().last?.status == 200)
    }

    @Test func wrongCA_isRefused_withATransportErrorNamingTLS_andNotRetried() async throws {
        let fake = try await FakeAPIServer.start()
        let otherCA = try TestCertificates(commonName: "some other CA")
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(ca: otherCA.caCertificate))

        let error = await caught { () async throws(KubernetesError) in try await client.listNodes(NodeListOptions()) }

        #expect(error?.caseName == "transport")
        #expect(error?.call.attempts == 1)
        #expect(error?.description.contains("TLS") == true)
        #expect(try fake.requests().isEmpty)
    }

    @Test func wrongToken_isUnauthorized() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(token: "not-the-token"))

        let error = await caught { () async throws(KubernetesError) in try await client.getNode(named: "any") }

        #expect(error?.caseName == "unauthorized")
        // A fixed token cannot change by re-reading: one request only.
        #expect(try fake.requests().count == 1)
    }

    @Test func tokenFileRotated_theClientRereadsItOn401_andSucceeds() async throws {
        let scratch = try TemporaryDirectory()
        let tokenFile = try scratch.write("token", "first-token\n")
        let fake = try await FakeAPIServer.start(tokens: [], tokenFile: tokenFile)
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(token: nil, tokenFile: tokenFile))
        _ = try await client.listNodes(NodeListOptions())

        // The kubelet swaps the file; the server accepts only the new token from now on.
        try scratch.write("token", "second-token\n")
        _ = try await client.listNodes(NodeListOptions())

        let statuses = try fake.requests().map(\.status)
        #expect(statuses == [200, 401, 200])
    }

    @Test func tokenFileRotated_theClientFollowsWithinTheRereadInterval_withoutA401() async throws {
        let scratch = try TemporaryDirectory()
        let tokenFile = try scratch.write("token", "old-token\n")
        let fake = try await FakeAPIServer.start(tokens: ["old-token", "new-token"])
        let clock = SteppingClock()
        var options = TestClients.quickOptions
        options.clock = clock
        options.tokenRefreshInterval = .seconds(60)
        let client = try TestClients.client(
            kubeconfig: fake.kubeconfig(token: nil, tokenFile: tokenFile), options: options)

        _ = try await client.listNodes(NodeListOptions())
        try scratch.write("token", "new-token\n")
        clock.advance(by: .seconds(59))
        _ = try await client.listNodes(NodeListOptions())
        clock.advance(by: .seconds(2))
        _ = try await client.listNodes(NodeListOptions())

        let users = try fake.requests().map(\.user)
        #expect(users == ["token-user-0", "token-user-0", "token-user-1"])
    }
}
