import Kubernetes
import TestSupport
import Testing

@testable import KubernetesClient

/// The retry loop with scripted answers and a stepping clock: the exact sequence of waits, without sleeping.
@Suite struct RequestExecutorTests {
    static let policy = RetryPolicy(
        maxAttempts: 5, initialDelay: .milliseconds(100), maxDelay: .seconds(10), maxTotal: .seconds(60), jitter: 0.5)
    static let get = TransportRequest(method: "GET", path: "/api/v1/nodes/n")

    @Test func serverErrors_areRetried_withDoublingWaits() async throws {
        let transport = ScriptedTransport([.status(503), .status(500), .status(502), .status(504), .status(200)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy, random: 0)

        let (response, call) = try await executor.send(Self.get, verb: .getNode)

        #expect(response.status == 200)
        #expect(call.attempts == 5)
        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
    }

    @Test func jitter_addsUpToHalfOfEachWait() async throws {
        let transport = ScriptedTransport([.status(503), .status(503), .status(200)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy, random: 1)

        _ = try await executor.send(Self.get, verb: .getNode)

        #expect(clock.sleeps == [.milliseconds(150), .milliseconds(300)])
    }

    @Test func tooManyRequests_waitsRetryAfter() async throws {
        let transport = ScriptedTransport([.status(429, retryAfter: "7"), .status(200)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy)

        _ = try await executor.send(Self.get, verb: .getNode)

        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test func attempts_areBounded_andTheLastErrorIsThrown() async throws {
        let transport = ScriptedTransport([.status(503)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy)

        let error = await caught { () async throws(KubernetesError) in try await executor.send(Self.get, verb: .getNode)
        }

        #expect(
            error
                == .serverError(
                    KubernetesCall(verb: .getNode, method: "GET", path: "/api/v1/nodes/n", attempts: 5), code: 503,
                    message: "HTTP 503 without a body"))
        #expect(transport.requests.count == 5)
    }

    @Test func totalTime_isBounded() async throws {
        var policy = Self.policy
        policy.initialDelay = .milliseconds(400)
        policy.maxTotal = .seconds(1)
        let transport = ScriptedTransport([.status(500)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: policy)

        let error = await caught { () async throws(KubernetesError) in try await executor.send(Self.get, verb: .getNode)
        }

        // 400 ms fits in 1 s; 400 + 800 ms does not.
        #expect(clock.sleeps == [.milliseconds(400)])
        #expect(error?.call.attempts == 2)
    }

    @Test(arguments: [400, 401, 403, 404, 405, 409, 410, 415, 422])
    func otherClientErrors_areNotRetried(status: Int) async throws {
        let transport = ScriptedTransport([.status(status)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy)

        _ = await caught { () async throws(KubernetesError) in try await executor.send(Self.get, verb: .getNode) }

        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func connectionFailures_areRetried_tlsFailuresAreNot() async throws {
        let connection = ScriptedTransport([.failure(.connection), .failure(.timeout), .status(200)])
        let tls = ScriptedTransport([.failure(.tls, code: 60)])
        let clock = SteppingClock()

        _ = try await RequestExecutor.scripted(connection, clock: clock, policy: Self.policy).send(
            Self.get, verb: .getNode)
        let error = await caught { () async throws(KubernetesError) in
            try await RequestExecutor.scripted(tls, clock: clock, policy: Self.policy).send(Self.get, verb: .getNode)
        }

        #expect(connection.requests.count == 3)
        #expect(error?.caseName == "transport")
        #expect(tls.requests.count == 1)
    }

    @Test func timeouts_endAsTimeout() async throws {
        let transport = ScriptedTransport([.failure(.timeout, code: 28)])
        let executor = RequestExecutor.scripted(transport, clock: SteppingClock(), policy: RetryPolicy(maxAttempts: 2))

        let error = await caught { () async throws(KubernetesError) in try await executor.send(Self.get, verb: .getNode)
        }

        #expect(error?.caseName == "timeout")
        #expect(error?.call.attempts == 2)
    }

    @Test func createRetried_thenConflict_isAlreadyExistsWithTheAttempts() async throws {
        let transport = ScriptedTransport([.failure(.connection, code: 52), .status(409)])
        let executor = RequestExecutor.scripted(transport, clock: SteppingClock(), policy: Self.policy)
        let post = TransportRequest(method: "POST", path: "/api/v1/namespaces/kube-system/pods", body: [])

        let error = await caught { () async throws(KubernetesError) in try await executor.send(post, verb: .createPod) }

        #expect(error?.caseName == "alreadyExists")
        #expect(error?.call.attempts == 2)
    }

    @Test func unauthorized_withARotatedTokenFile_isRetriedOnceAtOnce_withTheNewToken() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "old")
        let transport = ScriptedTransport([.status(401), .status(200)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy, token: .file(path: file))
        _ = executor.tokens.current()
        try directory.write("token", "new")

        _ = try await executor.send(Self.get, verb: .getNode)

        #expect(transport.requests.map(\.bearerToken) == ["old", "new"])
        #expect(clock.sleeps.isEmpty)
    }

    @Test func unauthorized_withAnUnchangedTokenFile_fails() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "same")
        let transport = ScriptedTransport([.status(401)])
        let executor = RequestExecutor.scripted(
            transport, clock: SteppingClock(), policy: Self.policy, token: .file(path: file))

        let error = await caught { () async throws(KubernetesError) in try await executor.send(Self.get, verb: .getNode)
        }

        #expect(error?.caseName == "unauthorized")
        #expect(transport.requests.count == 1)
    }

    @Test func rateLimit_appliesToEveryAttempt() async throws {
        let transport = ScriptedTransport([.status(200)])
        let clock = SteppingClock()
        let executor = RequestExecutor.scripted(transport, clock: clock, policy: Self.policy, qps: 10, burst: 2)

        for _ in 0..<5 { _ = try await executor.send(Self.get, verb: .getNode) }

        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(100), .milliseconds(100)])
    }

    @Test func cancelledWhileWaiting_isCancelled() async throws {
        let transport = ScriptedTransport([.status(503)])
        let executor = RequestExecutor.scripted(transport, clock: SteppingClock(), policy: Self.policy)

        let task = Task {
            await caught { () async throws(KubernetesError) in try await executor.send(Self.get, verb: .getNode) }
        }
        task.cancel()
        let error = await task.value

        #expect(error?.caseName == "cancelled")
    }
}
