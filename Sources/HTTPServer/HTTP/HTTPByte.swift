/// Byte classes of the HTTP grammar (RFC 9110 §5.6, RFC 9112 §2), as switch statements the compiler turns into
/// range checks, so the parser never builds a String to classify bytes.
enum HTTPByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let slash: UInt8 = 0x2F
    static let questionMark: UInt8 = 0x3F
    static let asterisk: UInt8 = 0x2A
    static let dot: UInt8 = 0x2E

    /// `tchar` of RFC 9110 §5.6.2: what method names and field names are made of.
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// What `uri-host [ ":" port ]` is made of (RFC 3986 §3.2.2: reg-name, IPv4, IP-literal in brackets).
    @inline(__always)
    static func isHostCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }

    /// Visible ASCII (VCHAR without obs-text): what a request target may contain.
    @inline(__always)
    static func isVisibleASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// Optional whitespace, `OWS` of RFC 9110 §5.6.3.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte &- UInt8(ascii: "A") &+ 10)
        default: return nil
        }
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether `bytes` equals the lowercase ASCII `lowercaseLiteral`, ignoring ASCII case.
    static func equalsIgnoringCase(
        _ bytes: UnsafeBufferPointer<UInt8>.SubSequence, _ lowercaseLiteral: StaticString
    )
        -> Bool
    {
        guard bytes.count == lowercaseLiteral.utf8CodeUnitCount else { return false }
        let literal = UnsafeBufferPointer(start: lowercaseLiteral.utf8Start, count: lowercaseLiteral.utf8CodeUnitCount)
        var index = bytes.startIndex
        for expected in literal {
            if lowercased(bytes[index]) != expected { return false }
            index += 1
        }
        return true
    }

    /// Decodes field bytes as ISO-8859-1 (RFC 9110 §5.5: obs-text is opaque data), so every byte sequence maps to
    /// a String and back without loss or crash. For values holding bytes above 0x7F: the field-line parser already
    /// knows, and takes the plain UTF-8 path for ASCII values itself.
    static func latin1String(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            if byte < 0x80 {
                utf8.append(byte)
            } else {
                utf8.append(0xC0 | (byte >> 6))
                utf8.append(0x80 | (byte & 0x3F))
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Trims optional whitespace from both ends of a field value (RFC 9112 §5).
    static func trimmingWhitespace(
        _ bytes: UnsafeBufferPointer<UInt8>.SubSequence
    )
        -> UnsafeBufferPointer<UInt8>.SubSequence
    {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }
}
