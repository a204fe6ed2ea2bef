internal import CCurl
import Glibc

/// libcurl's process-wide set-up, done once before the first handle (a Swift `static let` runs exactly once).
///
/// Handles run with `CURLOPT_NOSIGNAL`, as libcurl requires in a threaded program; libcurl then no longer
/// ignores `SIGPIPE` around its writes, and OpenSSL writes to a socket with plain `write(2)`. A server that
/// closed a kept-alive connection would kill the process on the next write, so `SIGPIPE` is ignored here: the
/// write fails with `EPIPE` instead and libcurl retries on a new connection.
enum CurlGlobal {
    static let isInitialized: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return vigilante_curl_global_init() == CURLE_OK
    }()
}
