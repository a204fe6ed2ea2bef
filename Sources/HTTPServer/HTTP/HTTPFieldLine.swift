/// One `field-name ":" OWS field-value OWS` line (RFC 9112 §5), shared by the header section and chunked trailers.
struct HTTPFieldLine {
    typealias Bytes = UnsafeBufferPointer<UInt8>.SubSequence

    var name: Bytes
    /// The value without surrounding whitespace.
    var value: Bytes
    /// Whether the value holds obs-text (bytes above 0x7F), which is decoded as ISO-8859-1.
    var valueHasHighBytes: Bool

    /// Parses one line without its CRLF.
    static func parse(_ line: Bytes) throws(HTTPParseError) -> HTTPFieldLine {
        guard let first = line.first else {
            throw .badRequest("empty header field line")
        }
        // RFC 9112 §5.2: obsolete line folding (a line starting with SP or HTAB) is refused.
        guard !HTTPByte.isWhitespace(first) else {
            throw .badRequest("obsolete line folding (a header line starting with whitespace) is not accepted")
        }
        var index = line.startIndex
        while index < line.endIndex, HTTPByte.isTokenCharacter(line[index]) { index += 1 }
        guard index < line.endIndex, index > line.startIndex, line[index] == HTTPByte.colon else {
            if index < line.endIndex, HTTPByte.isWhitespace(line[index]) {
                // RFC 9112 §5.1: no whitespace between the field name and the colon.
                throw .badRequest("whitespace between a header field name and the colon")
            }
            throw .badRequest("malformed header field: the name is not a token followed by a colon")
        }
        let name = line[line.startIndex..<index]
        let value = HTTPByte.trimmingWhitespace(line[(index + 1)...])
        var hasHighBytes = false
        for byte in value {
            // RFC 9110 §5.5: NUL, CR and LF in a field value are refused; LF cannot occur here (it ends the line).
            if byte == 0 || byte == HTTPByte.cr {
                throw .badRequest("a header field value contains a NUL or CR byte")
            }
            hasHighBytes = hasHighBytes || byte >= 0x80
        }
        return HTTPFieldLine(name: name, value: value, valueHasHighBytes: hasHighBytes)
    }

    var nameString: String { String(decoding: name, as: UTF8.self) }

    var valueString: String {
        valueHasHighBytes ? HTTPByte.latin1String(value) : String(decoding: value, as: UTF8.self)
    }
}
