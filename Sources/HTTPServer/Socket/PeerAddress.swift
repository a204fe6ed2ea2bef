import Glibc

/// The IP address of a connection's peer, without its port: the key of the per-client connection limit. IPv4
/// peers of a dual-stack listener arrive as IPv4-mapped IPv6 addresses and are kept in that one form, so a client
/// counts the same whichever way it connected.
struct PeerAddress: Hashable, Sendable {
    private let high: UInt64
    private let low: UInt64

    /// The peer of the connected socket `fd`; `nil` when the kernel cannot tell (the peer is already gone).
    init?(of fd: Int32) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        switch Int32(storage.ss_family) {
        case AF_INET6:
            withUnsafeBytes(of: storage) { raw in
                withUnsafeBytes(of: raw.load(as: sockaddr_in6.self).sin6_addr) { bytes = Array($0) }
            }
        case AF_INET:
            bytes[10] = 0xFF
            bytes[11] = 0xFF
            withUnsafeBytes(of: storage) { raw in
                let address = raw.load(as: sockaddr_in.self).sin_addr
                withUnsafeBytes(of: address) { bytes.replaceSubrange(12..<16, with: $0) }
            }
        default:
            return nil
        }
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
