import CLinuxEvents
import Glibc

/// Thin, uniform wrappers over the socket system calls the server uses. Every call keeps the file descriptor
/// non-blocking and close-on-exec; failures become `SocketError` with the call's name.
enum Socket {
    /// A listening TCP socket on `host:port`. `::` listens on IPv6 and IPv4 (dual stack); `SO_REUSEPORT` lets
    /// each event loop own a listener on the same port, so the kernel spreads new connections across loops.
    static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> Int32 {
        let address = try SocketAddress(host: host, port: port)
        let fd = socket(
            Int32(address.family),
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .lastError("socket") }
        do throws(SocketError) {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
            try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT")
            if address.family == AF_INET6 {
                try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, host == "::" ? 0 : 1, "IPV6_V6ONLY")
            }
            let bound = address.withSockaddr { bind(fd, $0, $1) }
            guard bound == 0 else { throw SocketError.lastError("bind \(host) port \(port)") }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError.lastError("listen") }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// The port a socket is bound to (the real one after binding port 0).
    static func localPort(_ fd: Int32) throws(SocketError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .lastError("getsockname") }
        return SocketAddress.port(of: storage)
    }

    enum AcceptResult {
        case accepted(Int32)
        /// Nothing pending (another loop took it, or the client gave up).
        case wouldBlock
        /// The process or system is out of file descriptors.
        case outOfDescriptors
        case failed(SocketError)
    }

    static func accept(_ listener: Int32) -> AcceptResult {
        let fd = vigilante_accept4(listener, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        if fd >= 0 {
            // Responses are written whole; Nagle would delay the last segment of each by up to 40 ms.
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return .accepted(fd)
        }
        switch errno {
        case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO: return .wouldBlock
        case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfDescriptors
        default: return .failed(.lastError("accept4"))
        }
    }

    enum TransferResult {
        case transferred(Int)
        case wouldBlock
        /// The peer closed its side (read returned 0) or reset the connection.
        case closed
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> TransferResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .closed }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .closed
        }
    }

    /// `MSG_NOSIGNAL`: a write to a closed peer returns `EPIPE` instead of raising `SIGPIPE`.
    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> TransferResult {
        while true {
            let count = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .transferred(count) }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .closed
        }
    }

    /// Whether bytes from the peer wait in the kernel, unread: peeks at one without taking it.
    static func hasPendingInput(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) > 0
    }

    /// Stops sending: the peer reads our response, then end of stream.
    static func shutdownWrite(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
    }

    private static func setOption(
        _ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String
    ) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .lastError("setsockopt \(label)")
        }
    }
}
