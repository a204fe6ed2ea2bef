internal import COpenSSL

/// One server-side TLS session over a non-blocking socket (`SSL`). Every call returns at once: `wantRead` or
/// `wantWrite` tells the event loop what to wait for before calling again.
final class TLSConnection {
    private let ssl: OpaquePointer

    enum Outcome {
        case done(Int)
        case wantRead
        case wantWrite
        /// The peer closed the TLS session (close_notify) or the socket.
        case closed
        case failed(TLSError)
    }

    init?(context: TLSContext, fd: Int32) {
        guard let ssl = SSL_new(context.context) else { return nil }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        SSL_set_accept_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    func handshake() -> Outcome {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        return result == 1 ? .done(0) : outcome(of: result, "TLS handshake")
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        ERR_clear_error()
        let result = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
        return result > 0 ? .done(Int(result)) : outcome(of: result, "TLS read")
    }

    func write(_ buffer: UnsafeRawBufferPointer) -> Outcome {
        ERR_clear_error()
        let result = SSL_write(ssl, buffer.baseAddress, Int32(buffer.count))
        return result > 0 ? .done(Int(result)) : outcome(of: result, "TLS write")
    }

    /// Sends close_notify, best effort: the socket is closed right after either way.
    func shutdown() {
        ERR_clear_error()
        SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Whether OpenSSL holds bytes already read from the socket — decrypted, or (with read-ahead) whole records
    /// not yet decrypted. Either is readable without the socket becoming readable again, so epoll will not say so.
    var hasBufferedData: Bool { SSL_has_pending(ssl) == 1 }

    private func outcome(of result: Int32, _ operation: String) -> Outcome {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let error = TLSError.fromQueue(operation)
            return error.details.isEmpty ? .closed : .failed(error)
        default: return .failed(.fromQueue(operation))
        }
    }
}
