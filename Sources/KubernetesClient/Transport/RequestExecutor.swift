import Kubernetes
import Logging

/// Runs one logical call to completion: rate limit, token, the HTTP attempt, metrics, and retries with backoff.
///
/// Retried: transport failures but TLS ones, 429 (waiting `Retry-After` when given) and 500/502/503/504, within
/// `RetryPolicy`'s attempts and total time. A 401 is retried once at once when the token file then holds a new
/// token. Everything else is final. A POST is retried too (the API server refuses a duplicate create with 409),
/// so a create whose answer was lost ends in `alreadyExists` with `call.attempts > 1`.
struct RequestExecutor: Sendable {
    let transport: any HTTPTransport
    let tokens: TokenSource
    let rateLimiter: RateLimiter
    let policy: RetryPolicy
    let clock: any RequestClock
    let random: @Sendable () -> Double
    let metrics: KubernetesClientMetrics
    let logger: Logger

    /// Sends `request` until it gets a 2xx answer and decodes it with `decode`; a body that does not decode is
    /// `decoding`, never a crash.
    func execute<Value>(
        _ request: TransportRequest, verb: KubernetesVerb, decode: ([UInt8]) throws(JSONBodyError) -> Value
    ) async throws(KubernetesError) -> Value {
        let (response, call) = try await send(request, verb: verb)
        do {
            return try decode(response.body)
        } catch {
            throw .decoding(call, message: error.message)
        }
    }

    /// Sends `request` until it gets a 2xx answer, which is returned with the call that got it, or a final error.
    func send(
        _ request: TransportRequest, verb: KubernetesVerb
    ) async throws(KubernetesError)
        -> (TransportResponse, KubernetesCall)
    {
        let started = clock.now()
        var attempt = 0
        var retriedUnauthorized = false
        while true {
            attempt += 1
            let call = KubernetesCall(verb: verb, method: request.method, path: request.path, attempts: attempt)
            let result = try await exchange(request, call: call) { request in await transport.perform(request) }
            let error: KubernetesError
            var wait: Duration?
            switch result {
            case .response(let response):
                if (200..<300).contains(response.status) { return (response, call) }
                error = Self.error(for: response, call: call)
                if response.status == 401, !retriedUnauthorized, tokens.refreshAfterUnauthorized() {
                    retriedUnauthorized = true
                    logger.notice(
                        "Unauthorized; retrying with the token re-read from its file", metadata: call.metadata)
                    continue
                }
                guard [429, 500, 502, 503, 504].contains(response.status),
                    response.status != 429 || request.retriesTooManyRequests
                else { throw error }
                wait = response.retryAfterDuration
            case .failure(let failure):
                error = Self.error(for: failure, call: call)
                guard failure.isRetryable else { throw error }
            }

            guard !Task.isCancelled else { throw .cancelled(call) }
            guard attempt < policy.maxAttempts else { throw error }
            let delay = wait ?? policy.delay(beforeRetry: attempt, random: random())
            let elapsed = clock.now() - started
            guard elapsed + delay <= policy.maxTotal else { throw error }
            var metadata = call.metadata
            metadata["error"] = "\(error)"
            metadata["retry_in"] = "\(delay)"
            logger.notice("Kubernetes API call failed; retrying", metadata: metadata)
            do {
                try await clock.sleep(for: delay)
            } catch {
                throw .cancelled(call)
            }
        }
    }

    /// One streamed exchange (a watch): rate limit, token, metrics, no retry (the caller starts a new watch, from
    /// where the last one got to). Returns when a 2xx answer has ended; a non-2xx answer is its typed error.
    func stream(
        _ request: TransportRequest, verb: KubernetesVerb, onBody: @escaping BodySink
    ) async throws(KubernetesError) {
        let call = KubernetesCall(verb: verb, method: request.method, path: request.path, attempts: 1)
        switch try await exchange(
            request, call: call, using: { request in await transport.stream(request, onBody: onBody) })
        {
        case .response(let response):
            guard (200..<300).contains(response.status) else { throw Self.error(for: response, call: call) }
        case .failure(let failure):
            throw Self.error(for: failure, call: call)
        }
    }

    /// One attempt of `call`: waits for the rate limiter, sends with the current token, and records the answer's
    /// status (or its absence) and duration. A transfer aborted because the task was cancelled (shutdown) is
    /// `cancelled`, not an API failure, and is not recorded.
    private func exchange(
        _ request: TransportRequest, call: KubernetesCall,
        using send: (TransportRequest) async -> TransportResult
    ) async throws(KubernetesError) -> TransportResult {
        do {
            try await rateLimiter.acquire()
        } catch {
            throw .cancelled(call)
        }
        var request = request
        request.bearerToken = tokens.current()
        let sent = clock.now()
        let result = await send(request)
        switch result {
        case .response(let response):
            metrics.record(verb: call.verb, status: response.status, duration: clock.now() - sent)
        case .failure:
            if Task.isCancelled { throw .cancelled(call) }
            metrics.record(verb: call.verb, status: nil, duration: clock.now() - sent)
        }
        return result
    }

    /// The typed error of a request without a complete answer.
    static func error(for failure: TransportFailure, call: KubernetesCall) -> KubernetesError {
        failure.kind == .timeout
            ? .timeout(call, message: failure.message)
            : .transport(call, code: failure.code, message: failure.message)
    }

    /// The typed error of a non-2xx answer, from its `Status` body when it has one.
    static func error(for response: TransportResponse, call: KubernetesCall) -> KubernetesError {
        // A JSON body that is not a Status (no reason, no message) is treated like any other unknown body.
        let status = (try? JSONBody.decode(Status.self, from: response.body)).flatMap {
            $0.reason == nil && $0.message == nil ? nil : $0
        }
        let raw = status == nil ? String(decoding: response.body.prefix(512), as: UTF8.self) : nil
        return KubernetesError(
            httpStatus: response.status, status: status, retryAfter: response.retryAfterDuration, rawBody: raw,
            call: call)
    }
}

extension KubernetesCall {
    /// Log metadata naming the call; never the token or any body.
    var metadata: Logger.Metadata {
        ["verb": "\(verb.rawValue)", "method": "\(method)", "path": "\(path)", "attempt": "\(attempts)"]
    }
}
