import Glibc

/// A failed system call on a socket, with `errno` captured where it failed.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var errorNumber: Int32

    /// Reads `errno` now: call it right after the failing call, before anything else can change it.
    static func lastError(_ call: String) -> SocketError {
        SocketError(call: call, errorNumber: errno)
    }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
    }
}
