/// The header fields that decide how a request is framed and whether its connection stays open, collected while
/// the head is parsed (byte comparisons, no String lookups) and judged once the head is complete.
struct HTTPFramingFields {
    typealias Bytes = UnsafeBufferPointer<UInt8>.SubSequence

    var hostCount = 0
    var contentLength: Int?
    var transferEncodingCount = 0
    /// Transfer codings across all Transfer-Encoding fields, in order (RFC 9110 §5.3: repeated fields form a list).
    var codingCount = 0
    var chunkedCount = 0
    var lastCodingIsChunked = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false

    mutating func note(_ field: HTTPFieldLine) throws(HTTPParseError) {
        let name = field.name
        // Compare lengths first: most fields are none of these and fail on the first check.
        switch name.count {
        case 4 where HTTPByte.equalsIgnoringCase(name, "host"):
            hostCount += 1
            // RFC 9112 §3.2: a Host with an invalid value is refused like a missing one (empty is allowed).
            guard field.value.allSatisfy(HTTPByte.isHostCharacter) else {
                throw .badRequest("the Host header field is not a host name with an optional port")
            }
        case 6 where HTTPByte.equalsIgnoringCase(name, "expect"):
            expectsContinue = expectsContinue || HTTPByte.equalsIgnoringCase(field.value, "100-continue")
        case 10 where HTTPByte.equalsIgnoringCase(name, "connection"):
            Self.forEachListElement(field.value) { option in
                if HTTPByte.equalsIgnoringCase(option, "close") { connectionClose = true }
                if HTTPByte.equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
            }
        case 14 where HTTPByte.equalsIgnoringCase(name, "content-length"):
            // RFC 9112 §6.3 rule 5: several lengths, even equal ones or a list, are a smuggling shape; refused.
            // (A length that does not parse fails the whole head, so a set `contentLength` means one was seen.)
            guard contentLength == nil else {
                throw .badRequest("more than one Content-Length")
            }
            contentLength = try Self.parseContentLength(field.value)
        case 17 where HTTPByte.equalsIgnoringCase(name, "transfer-encoding"):
            transferEncodingCount += 1
            Self.forEachListElement(field.value) { coding in
                let isChunked = HTTPByte.equalsIgnoringCase(coding, "chunked")
                codingCount += 1
                chunkedCount += isChunked ? 1 : 0
                lastCodingIsChunked = isChunked
            }
        default:
            break
        }
    }

    /// RFC 9112 §9.3: HTTP/1.1 is persistent unless "close"; HTTP/1.0 only with "keep-alive".
    func keepAlive(version: HTTPVersion) -> Bool {
        if connectionClose { return false }
        return version == .http1_1 || connectionKeepAlive
    }

    func bodyFraming(version: HTTPVersion) throws(HTTPParseError) -> HTTPBodyFraming {
        // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host; more than one is refused in any version.
        if hostCount > 1 {
            throw .badRequest("more than one Host header field")
        }
        if hostCount == 0 && version == .http1_1 {
            throw .badRequest("an HTTP/1.1 request needs a Host header field")
        }
        guard transferEncodingCount > 0 else {
            if let contentLength { return .length(contentLength) }
            // RFC 9112 §6.3 rule 7: neither field, no body.
            return .none
        }
        // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
        if version == .http1_0 {
            throw .badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request")
        }
        // RFC 9112 §6.1: Content-Length with Transfer-Encoding is the classic smuggling shape; refused, not resolved.
        if contentLength != nil {
            throw .badRequest("both Content-Length and Transfer-Encoding")
        }
        // RFC 9112 §6.1: chunked must be the final coding, applied once; otherwise the length is unknowable → 400.
        guard lastCodingIsChunked, chunkedCount == 1 else {
            throw .badRequest("Transfer-Encoding must end with chunked, applied once")
        }
        // RFC 9112 §6.1: other codings (gzip, chunked) are understood by name but not implemented → 501.
        guard codingCount == 1 else {
            throw HTTPParseError(
                status: .notImplemented, reason: "only the chunked transfer coding is supported, on its own")
        }
        return .chunked
    }

    /// RFC 9112 §6.2: 1*DIGIT. No sign, no inner whitespace, no list; a value beyond Int is refused, not clamped.
    static func parseContentLength(_ value: Bytes) throws(HTTPParseError) -> Int {
        guard !value.isEmpty else {
            throw .badRequest("Content-Length is empty")
        }
        var length = 0
        for byte in value {
            guard HTTPByte.isDigit(byte) else {
                throw .badRequest("Content-Length is not a non-negative decimal number")
            }
            let (shifted, overflowA) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else {
                throw .badRequest("Content-Length is too large")
            }
            length = sum
        }
        return length
    }

    /// Calls `body` with each non-empty, trimmed element of a comma-separated list (RFC 9110 §5.6.1).
    private static func forEachListElement(_ value: Bytes, _ body: (Bytes) -> Void) {
        var start = value.startIndex
        while start <= value.endIndex {
            let end = value[start...].firstIndex(of: HTTPByte.comma) ?? value.endIndex
            let element = HTTPByte.trimmingWhitespace(value[start..<end])
            if !element.isEmpty { body(element) }
            start = end + 1
        }
    }
}
