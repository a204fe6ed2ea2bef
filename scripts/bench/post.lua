-- wrk script: POSTs the AdmissionReview in $BENCH_BODY to /validate, as the API server does, and prints the
-- result as one JSON line for the driver (latencies in microseconds).
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
if os.getenv("BENCH_CLOSE") == "1" then
  -- A new connection (and TLS handshake) for every request.
  wrk.headers["Connection"] = "close"
end
wrk.path = "/validate?timeout=10s"

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"errors":%d,"non2xx":%d,"p50":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), latency.max))
end
