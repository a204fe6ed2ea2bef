extension HTTPRequestParser {
    /// At most this many empty lines before a request line are skipped (RFC 9112 §2.2 asks for at least one);
    /// more are a client that is not speaking HTTP.
    static let maxEmptyLinesBeforeRequestLine = 4

    /// Finds the end of the head: returns its length including the empty line that ends it, or nil when more bytes
    /// are needed. Enforces the header limits while scanning, so an endless head fails as soon as it is too long.
    mutating func scanHead(_ scan: inout HeadScan) throws(HTTPParseError) -> Int? {
        if scan.scannedBytes == 0 {
            guard try skipEmptyLines(&scan) else { return nil }
        }
        let start = readIndex
        let available = buffer.count - start
        let window = min(available, limits.maxHeaderBytes)
        let maxHeaderCount = limits.maxHeaderCount
        let end = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) -> Int? in
            var index = start + scan.scannedBytes
            let windowEnd = start + window
            while index < windowEnd {
                guard bytes[index] == HTTPByte.lf else {
                    index += 1
                    continue
                }
                // RFC 9112 §2.2: lines end in CRLF; a bare LF is refused (see the type's documentation).
                guard index > start + scan.lineStart, bytes[index - 1] == HTTPByte.cr else {
                    throw .badRequest("line ending is a bare LF instead of CRLF")
                }
                if index - 1 == start + scan.lineStart {
                    return index + 1 - start
                }
                scan.lineCount += 1
                // The first line is the request line; every further line is one header field.
                if scan.lineCount - 1 > maxHeaderCount {
                    throw HTTPParseError(
                        status: .requestHeaderFieldsTooLarge,
                        reason: "more than \(maxHeaderCount) header fields")
                }
                index += 1
                scan.lineStart = index - start
            }
            scan.scannedBytes = window
            return nil
        }
        if let end {
            return end
        }
        if available >= limits.maxHeaderBytes {
            throw HTTPParseError(
                status: .requestHeaderFieldsTooLarge,
                reason: "request line and header fields exceed \(limits.maxHeaderBytes) bytes")
        }
        return nil
    }

    /// Consumes CRLFs before the request line (RFC 9112 §2.2). Returns false when it needs more bytes to decide.
    private mutating func skipEmptyLines(_ scan: inout HeadScan) throws(HTTPParseError) -> Bool {
        while readIndex < buffer.count {
            switch buffer[readIndex] {
            case HTTPByte.lf:
                throw .badRequest("line ending is a bare LF instead of CRLF")
            case HTTPByte.cr:
                guard readIndex + 1 < buffer.count else { return false }
                guard buffer[readIndex + 1] == HTTPByte.lf else {
                    throw .badRequest("bare CR before the request line")
                }
                scan.emptyLinesSkipped += 1
                guard scan.emptyLinesSkipped <= Self.maxEmptyLinesBeforeRequestLine else {
                    throw .badRequest("too many empty lines before the request line")
                }
                readIndex += 2
            default:
                return true
            }
        }
        return false
    }
}
