/// How the body of a request is delimited (RFC 9112 §6.3).
enum HTTPBodyFraming: Equatable {
    /// Neither Content-Length nor Transfer-Encoding: no body (§6.3 rule 7).
    case none
    case length(Int)
    case chunked
}

/// Parses a complete head (request line, field lines, final empty line) into an `HTTPRequestHead` and its framing.
enum HTTPHeadParser {
    typealias Bytes = UnsafeBufferPointer<UInt8>.SubSequence

    /// `head` ends with CRLF CRLF and holds no bare LF; `HTTPRequestParser.scanHead` checked both.
    static func parse(_ head: Bytes, fieldCount: Int) throws(HTTPParseError) -> (HTTPRequestHead, HTTPBodyFraming) {
        // Drop the empty line; every remaining line ends in CRLF.
        let lines = head[head.startIndex..<head.endIndex - 2]
        var lineStart = lines.startIndex
        var requestLine: HTTPRequestLine?
        var headers = HTTPHeaders()
        headers.reserveCapacity(fieldCount)
        var framing = HTTPFramingFields()
        while lineStart < lines.endIndex {
            var lineEnd = lineStart
            while lines[lineEnd] != HTTPByte.lf { lineEnd += 1 }
            let line = lines[lineStart..<lineEnd - 1]
            // A bare CR cannot pass either parser: it is not a token, target, version or field-value byte.
            if requestLine == nil {
                requestLine = try HTTPRequestLine.parse(line)
            } else {
                let field = try HTTPFieldLine.parse(line)
                try framing.note(field)
                headers.add(name: field.nameString, value: field.valueString)
            }
            lineStart = lineEnd + 1
        }
        guard let requestLine else {
            throw .badRequest("missing request line")
        }
        let bodyFraming = try framing.bodyFraming(version: requestLine.version)
        let head = HTTPRequestHead(
            method: requestLine.method,
            target: requestLine.target,
            path: requestLine.path,
            query: requestLine.query,
            version: requestLine.version,
            headers: headers,
            keepAlive: framing.keepAlive(version: requestLine.version),
            expectsContinue: requestLine.version == .http1_1 && framing.expectsContinue,
            contentLength: {
                if case .length(let length) = bodyFraming { return length }
                return nil
            }())
        return (head, bodyFraming)
    }
}
