/// Turns the bytes of one connection into requests: a value type over a byte buffer, never a socket, so it is
/// tested from strings and fuzzed without I/O.
///
/// Feed it with `append`, then call `nextEvent()` until it returns nil. Each request yields `.head` (checked, before
/// any body byte is read) and then `.request`; pipelined requests come out in order. After an error every later
/// call throws the same error: the server answers `error.status` and closes, because the framing of whatever
/// follows can no longer be trusted (RFC 9112 §6.3).
///
/// Line endings: only CRLF. RFC 9112 §2.2 lets a recipient accept a bare LF; this parser refuses it with 400
/// (as well as a bare CR), so no two parsers on a path can disagree about where a line ends.
public struct HTTPRequestParser: Sendable {
    let limits: HTTPParserLimits
    /// Received bytes; `buffer[readIndex...]` is not consumed yet. Consumed bytes are dropped by index and only
    /// compacted away in `append`, when that costs no more than the bytes already consumed.
    var buffer: [UInt8] = []
    var readIndex = 0
    var phase: Phase = .head(HeadScan())
    /// The body of the request being read, appended to once per received piece and handed out without a copy.
    var body: [UInt8] = []
    /// Extension bytes of all chunk-size lines of the current request (see `HTTPParserLimits.maxChunkLineBytes`).
    var chunkExtensionBytes = 0

    enum Phase {
        case head(HeadScan)
        case body(HTTPRequestHead, BodyState)
        case failed(HTTPParseError)
    }

    /// Where the search for the end of the head stopped, relative to `readIndex`, so a head that arrives in many
    /// pieces is scanned once, not once per piece.
    struct HeadScan {
        var emptyLinesSkipped = 0
        var scannedBytes = 0
        var lineStart = 0
        var lineCount = 0
    }

    enum BodyState {
        case length(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytesSeen: Int)
    }

    /// Above this capacity an emptied buffer is released instead of kept, so one large pipelined burst does not pin
    /// memory on an idle keep-alive connection.
    static let retainedBufferCapacity = 64 * 1024

    /// At most this much body storage is reserved from an announced length before the bytes arrive, so clients
    /// that announce the maximum and then stall do not each pin that much address space; larger bodies grow.
    static let maxUpfrontBodyReservation = 1024 * 1024

    public init(limits: HTTPParserLimits) {
        self.limits = limits
    }

    /// Bytes received and not yet handed out in an event: the unparsed buffer plus the body read so far.
    public var bufferedByteCount: Int { buffer.count - readIndex + body.count }

    /// No part of a request is buffered: the connection is between requests (idle timeout, not header timeout).
    public var isIdle: Bool {
        if case .head = phase { return readIndex == buffer.count }
        return false
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        bytes.withMemoryRebound(to: UInt8.self) { append(contiguous: $0) }
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        let appended: Void? = bytes.withContiguousStorageIfAvailable { append(contiguous: $0) }
        if appended == nil {
            Array(bytes).withUnsafeBufferPointer { append(contiguous: $0) }
        }
    }

    /// The next head or complete request, nil when more bytes are needed.
    public mutating func nextEvent() throws(HTTPParseError) -> HTTPParserEvent? {
        do {
            return try advance()
        } catch {
            phase = .failed(error)
            throw error
        }
    }

    private mutating func append(contiguous bytes: UnsafeBufferPointer<UInt8>) {
        if case .failed = phase { return }
        var rest = bytes[...]
        // Body bytes that arrive while nothing else is buffered go straight into the body: one copy, not two.
        if readIndex == buffer.count, case .body(let head, let state) = phase {
            switch state {
            case .length(let remaining) where remaining > 0:
                let taken = min(remaining, rest.count)
                body.append(contentsOf: rest.prefix(taken))
                rest = rest.dropFirst(taken)
                phase = .body(head, .length(remaining: remaining - taken))
            case .chunkData(let remaining) where remaining > 0:
                let taken = min(remaining, rest.count)
                body.append(contentsOf: rest.prefix(taken))
                rest = rest.dropFirst(taken)
                phase = .body(head, .chunkData(remaining: remaining - taken))
            default:
                break
            }
        }
        guard !rest.isEmpty else { return }
        compact()
        buffer.append(contentsOf: rest)
    }

    /// Drops consumed bytes when the move costs at most as much as the bytes consumed since the last compaction.
    private mutating func compact() {
        if readIndex == buffer.count {
            if buffer.capacity > Self.retainedBufferCapacity {
                buffer = []
            } else {
                buffer.removeAll(keepingCapacity: true)
            }
            readIndex = 0
        } else if readIndex > 0 && readIndex >= buffer.count - readIndex {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    private mutating func advance() throws(HTTPParseError) -> HTTPParserEvent? {
        switch phase {
        case .failed(let error):
            throw error
        case .head(var scan):
            guard let headLength = try scanHead(&scan) else {
                phase = .head(scan)
                return nil
            }
            let start = readIndex
            // The scan counted the request line and every field line.
            let fieldCount = scan.lineCount - 1
            let (head, framing) = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) in
                try HTTPHeadParser.parse(bytes[start..<start + headLength], fieldCount: fieldCount)
            }
            readIndex += headLength
            body = []
            chunkExtensionBytes = 0
            switch framing {
            case .none:
                phase = .body(head, .length(remaining: 0))
            case .length(let length):
                // RFC 9112 §6.3: the announced length is refused before any body byte is read.
                guard length <= limits.maxBodyBytes else {
                    throw HTTPParseError(
                        status: .payloadTooLarge,
                        reason: "Content-Length \(length) exceeds the limit of \(limits.maxBodyBytes) bytes")
                }
                body.reserveCapacity(min(length, Self.maxUpfrontBodyReservation))
                phase = .body(head, .length(remaining: length))
            case .chunked:
                phase = .body(head, .chunkSizeLine)
            }
            return .head(head)
        case .body(let head, var state):
            let isComplete = try readBody(&state)
            guard isComplete else {
                phase = .body(head, state)
                return nil
            }
            let request = HTTPRequest(head: head, body: body)
            body = []
            phase = .head(HeadScan())
            return .request(request)
        }
    }
}
