import Foundation

/// Collects one answer as libcurl hands it over: the body (bounded) and the headers the client reads.
/// Owned by the `CurlEasy` call that created it and used only on that thread.
final class CurlResponseCollector {
    private(set) var body: [UInt8] = []
    private(set) var retryAfter: String?
    /// The body went over `maxBodyBytes` and the transfer was stopped.
    private(set) var exceededLimit = false
    /// The streamed body's receiver refused a piece and the transfer was stopped.
    private(set) var sinkRefused = false
    /// The status code of the last status line.
    private(set) var status = 0
    let maxBodyBytes: Int
    /// Where a 2xx body goes instead of `body`, when streaming.
    let sink: BodySink?

    init(maxBodyBytes: Int, sink: BodySink? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.sink = sink
    }

    /// Appends a piece of the body (or hands it to the sink); `false` stops the transfer.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let sink, (200..<300).contains(status) {
            if sink(bytes) { return true }
            sinkRefused = true
            return false
        }
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
            status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
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
