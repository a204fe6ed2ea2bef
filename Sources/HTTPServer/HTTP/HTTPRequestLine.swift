/// The request line, `method SP request-target SP HTTP-version` (RFC 9112 §3), split into its parts.
struct HTTPRequestLine {
    var method: String
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion

    typealias Bytes = UnsafeBufferPointer<UInt8>.SubSequence

    /// Parses one line without its CRLF. Exactly one SP separates the parts (RFC 9112 §3 lets a recipient accept
    /// other whitespace; refusing it keeps the parse unambiguous).
    static func parse(_ line: Bytes) throws(HTTPParseError) -> HTTPRequestLine {
        var index = line.startIndex
        // RFC 9112 §3.1: the method is a token, compared case-sensitively.
        while index < line.endIndex, HTTPByte.isTokenCharacter(line[index]) { index += 1 }
        guard index > line.startIndex, index < line.endIndex, line[index] == HTTPByte.space else {
            throw .badRequest("malformed request line: the method is not a token followed by one space")
        }
        let method = String(decoding: line[line.startIndex..<index], as: UTF8.self)

        index += 1
        let targetStart = index
        while index < line.endIndex, line[index] != HTTPByte.space {
            guard HTTPByte.isVisibleASCII(line[index]) else {
                throw .badRequest("malformed request line: the target contains a byte that is not visible ASCII")
            }
            index += 1
        }
        guard index > targetStart, index < line.endIndex else {
            throw .badRequest("malformed request line: expected method, target and version separated by one space")
        }
        let targetBytes = line[targetStart..<index]
        let version = try parseVersion(line[(index + 1)...])
        let (path, query) = try splitTarget(targetBytes, method: method)
        return HTTPRequestLine(
            method: method,
            target: String(decoding: targetBytes, as: UTF8.self),
            path: path,
            query: query,
            version: version)
    }

    /// RFC 9112 §2.3: `HTTP/` DIGIT `.` DIGIT. Well-formed versions other than 1.0 and 1.1 get 505 (RFC 9110 §15.6.6).
    static func parseVersion(_ bytes: Bytes) throws(HTTPParseError) -> HTTPVersion {
        let start = bytes.startIndex
        guard bytes.count == 8,
            bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "T"),
            bytes[start + 2] == UInt8(ascii: "T"), bytes[start + 3] == UInt8(ascii: "P"),
            bytes[start + 4] == HTTPByte.slash, HTTPByte.isDigit(bytes[start + 5]),
            bytes[start + 6] == HTTPByte.dot, HTTPByte.isDigit(bytes[start + 7])
        else {
            throw .badRequest("malformed request line: the version is not HTTP/<digit>.<digit>")
        }
        let version = HTTPVersion(
            major: Int(bytes[start + 5] - UInt8(ascii: "0")), minor: Int(bytes[start + 7] - UInt8(ascii: "0")))
        guard version == .http1_1 || version == .http1_0 else {
            throw HTTPParseError(
                status: .httpVersionNotSupported, reason: "\(version) is not supported; use HTTP/1.1 or HTTP/1.0")
        }
        return version
    }

    /// RFC 9112 §3.2: origin-form ("/path?query"), absolute-form (path taken, authority ignored) and asterisk-form
    /// for OPTIONS. Authority-form belongs to CONNECT, which this server does not offer.
    static func splitTarget(_ target: Bytes, method: String) throws(HTTPParseError) -> (String, String?) {
        var pathStart = target.startIndex
        switch target[pathStart] {
        case HTTPByte.slash:
            break
        case HTTPByte.asterisk where target.count == 1:
            // RFC 9112 §3.2.4: asterisk-form is only for a server-wide OPTIONS.
            guard method == "OPTIONS" else {
                throw .badRequest("the request target \"*\" is only allowed with OPTIONS")
            }
            return ("*", nil)
        default:
            pathStart = try absoluteFormPathStart(target)
        }
        let query = target[pathStart...].firstIndex(of: HTTPByte.questionMark)
        let pathEnd = query ?? target.endIndex
        let path = pathStart == pathEnd ? "/" : String(decoding: target[pathStart..<pathEnd], as: UTF8.self)
        guard let query else { return (path, nil) }
        return (path, String(decoding: target[(query + 1)...], as: UTF8.self))
    }

    /// RFC 9112 §3.2.2: "http://authority/path?query"; returns where the path (or the query) starts.
    private static func absoluteFormPathStart(_ target: Bytes) throws(HTTPParseError) -> Int {
        let schemeEnd = target.firstIndex(of: HTTPByte.colon) ?? target.endIndex
        let scheme = target[target.startIndex..<schemeEnd]
        let isHTTP = HTTPByte.equalsIgnoringCase(scheme, "http") || HTTPByte.equalsIgnoringCase(scheme, "https")
        guard isHTTP, target.endIndex - schemeEnd >= 3,
            target[schemeEnd + 1] == HTTPByte.slash, target[schemeEnd + 2] == HTTPByte.slash
        else {
            throw .badRequest("the request target is neither a path starting with \"/\" nor an http(s) URI")
        }
        let authorityStart = schemeEnd + 3
        var index = authorityStart
        while index < target.endIndex, target[index] != HTTPByte.slash, target[index] != HTTPByte.questionMark {
            index += 1
        }
        // RFC 9110 §4.2.1: an http URI with an empty host is invalid.
        guard index > authorityStart else {
            throw .badRequest("the absolute-form request target has no host")
        }
        return index
    }
}
