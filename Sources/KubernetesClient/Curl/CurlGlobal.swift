internal import CCurl

/// libcurl's process-wide set-up, done once before the first handle (a Swift `static let` runs exactly once).
///
/// Handles run with `CURLOPT_NOSIGNAL`, as libcurl requires in a threaded program; libcurl then no longer
/// ignores `SIGPIPE` around its writes, so the process must (`vigilante` does, at start): a write to a server
/// that closed a kept-alive connection then fails with `EPIPE` and libcurl retries on a new connection.
enum CurlGlobal {
    static let isInitialized: Bool = vigilante_curl_global_init() == CURLE_OK
}
