import Kubernetes
import KubernetesClient
import Testing

/// Backoff and rate limit as the fake API server saw them: the gaps are read from its request log (monotonic
/// milliseconds at which each request arrived), never from sleeps in the test.
@Suite(.serialized) struct ClientRetryTests {
    static let node = "akswin000000"

    @Test func injected500_isRetried_withExponentialBackoff() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 500, "method": "GET", "path": "^/api/v1/nodes/akswin000000$", "count": 2}"#)

        let node = try await client.getNode(named: Self.node)

        #expect(node.name == Self.node)
        let log = try fake.requests()
        #expect(log.map(\.status) == [500, 500, 200])
        // Quick options: 50 ms then 100 ms, each plus up to 50 % jitter.
        let gaps = zip(log.dropFirst(), log).map { $0.timeMs - $1.timeMs }
        #expect(gaps[0] >= 50, "first backoff \(gaps[0]) ms")
        #expect(gaps[1] >= 100, "second backoff \(gaps[1]) ms")
    }

    @Test func injected429_isRetriedAfterRetryAfter() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 429, "retryAfter": 1, "method": "GET", "path": "^/api/v1/nodes"}"#)

        _ = try await client.listNodes(NodeListOptions())

        let log = try fake.requests()
        #expect(log.map(\.status) == [429, 200])
        #expect(log[1].timeMs - log[0].timeMs >= 1000, "waited \(log[1].timeMs - log[0].timeMs) ms")
    }

    @Test func retryAfterBeyondTheTotalTime_failsAtOnce_withTooManyRequests() async throws {
        let fake = try await FakeAPIServer.start()
        var options = TestClients.quickOptions
        options.retry.maxTotal = .seconds(5)
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(), options: options)
        try fake.addFault(#"{"status": 429, "retryAfter": 30, "method": "GET", "count": 5}"#)

        let error = await caught { () async throws(KubernetesError) in try await client.listNodes(NodeListOptions()) }

        #expect(
            error
                == .tooManyRequests(
                    error?.call ?? KubernetesCall(verb: .listNodes, method: "", path: ""), retryAfter: .seconds(30)))
        #expect(try fake.requests().count == 1)
    }

    @Test func persistent503_failsAfterTheAttemptLimit_asServerError() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try fake.addFault(#"{"status": 503, "method": "GET", "count": 10}"#)

        let error = await caught { () async throws(KubernetesError) in try await client.getNode(named: "any") }

        #expect(error?.caseName == "serverError")
        #expect(error?.call.attempts == 4)
        #expect(try fake.requests().count == 4)
    }

    @Test func rateLimit_spacesRequestsBeyondTheBurst() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-windows", "1"])
        var options = TestClients.quickOptions
        options.qps = 10
        options.burst = 2
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(), options: options)

        for _ in 0..<7 { _ = try await client.getNode(named: Self.node) }

        let log = try fake.requests()
        #expect(log.count == 7)
        // Two at once, then one per 100 ms: the 7th is due 500 ms after the 1st (the 1st also paid the TLS
        // handshake, hence the margin below 500).
        let span = try #require(log.last).timeMs - log[0].timeMs
        #expect(span >= 400, "7 requests took \(span) ms")
    }

    @Test func connectionRefused_isRetried_thenATransportError() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        try await fake.kill()

        let error = await caught { () async throws(KubernetesError) in try await client.getNode(named: "any") }

        #expect(error?.caseName == "transport")
        #expect(error?.call.attempts == 4)
    }

    @Test func slowAnswer_beyondTheRequestTimeout_isATimeout() async throws {
        let fake = try await FakeAPIServer.start()
        var options = TestClients.quickOptions
        options.requestTimeout = .milliseconds(500)
        options.retry = .none
        let client = try TestClients.client(kubeconfig: fake.kubeconfig(), options: options)
        try fake.addFault(#"{"kind": "delay", "delayMs": 3000, "method": "GET"}"#)

        let error = await caught { () async throws(KubernetesError) in try await client.getNode(named: "any") }

        #expect(error?.caseName == "timeout")
    }
}
