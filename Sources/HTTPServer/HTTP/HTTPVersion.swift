/// The protocol version of a request line, `HTTP/<major>.<minor>`. The parser accepts 1.0 and 1.1 only.
public struct HTTPVersion: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// For example "HTTP/1.1".
    public var description: String { "HTTP/\(major).\(minor)" }
}
