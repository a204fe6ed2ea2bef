internal import COpenSSL

/// A TLS failure, with OpenSSL's error queue read at the point of failure.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    /// OpenSSL's messages, oldest first (for example "error:0A000086:SSL routines::certificate verify failed").
    public var details: [String]

    public init(_ operation: String, details: [String] = []) {
        self.operation = operation
        self.details = details
    }

    /// Takes and clears the calling thread's OpenSSL error queue.
    static func fromQueue(_ operation: String) -> TLSError {
        var details: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            details.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(operation, details: details)
    }

    public var description: String {
        details.isEmpty ? operation : "\(operation): \(details.joined(separator: "; "))"
    }
}
