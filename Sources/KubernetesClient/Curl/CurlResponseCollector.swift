import Foundation

/// Collects one answer as libcurl hands it over: the body (bounded) and the headers the client reads.
/// Owned by the `CurlEasy` call that created it and used only on that thread.
final class CurlResponseCollector {
    private(set) var body: [UInt8] = []
    private(set) var retryAfter: String?
    /// The body went over `maxBodyBytes` and the transfer was stopped.
    private(set) var exceededLimit = false
    let maxBodyBytes: Int

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends a piece of the body; `false` stops the transfer.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line, CRLF included. A status line starts a new answer (after a `100 Continue`).
    func header(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            retryAfter = nil
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "retry-after":
            retryAfter = value
        case "content-length":
            // One allocation for the whole body: a page of 500 nodes is about 7 MB.
            if let length = Int(value), length > 0 { body.reserveCapacity(min(length, maxBodyBytes)) }
        default:
            break
        }
    }
}
