/// A pull reader over JSON text (RFC 8259) that decodes only what the caller asks for and skips the rest
/// without building values: a Node review carries images, managedFields and more that the webhook never reads.
///
/// Everything is checked as it is read or skipped — a document with a syntax error anywhere is refused, as a
/// full decoder would — and nesting is limited, so hostile input cannot exhaust the stack.
public struct JSONReader: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var depth = 0
    /// Deeper documents are refused (Kubernetes objects nest a dozen levels).
    static let maximumDepth = 200

    /// Reads `bytes`, which must stay valid while the reader is used.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads one whole document with `body` (all of `bytes`, or the part in `range`) and checks that nothing but
    /// whitespace follows it. Error offsets count from the start of `bytes`.
    public static func read<T>(
        _ bytes: [UInt8], in range: Range<Int>? = nil, _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        let range = range ?? bytes.indices
        let result: Result<T, JSONReadError> = bytes.withUnsafeBufferPointer { whole in
            let buffer = UnsafeBufferPointer(rebasing: whole[range])
            var reader = JSONReader(buffer)
            do throws(JSONReadError) {
                let value = try body(&reader)
                reader.skipWhitespace()
                guard reader.offset == buffer.count else {
                    throw reader.error("unexpected data after the document")
                }
                return .success(value)
            } catch {
                return .failure(JSONReadError(message: error.message, offset: error.offset + range.lowerBound))
            }
        }
        return try result.get()
    }

    // MARK: Structure

    /// The kind of the next value, without consuming it.
    public mutating func peek() throws(JSONReadError) -> JSONValueKind {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of data") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character")
        }
    }

    /// Calls `body` for each member of an object; `body` must read or skip the member's value.
    public mutating func readObject(
        _ body: (JSONKey, inout JSONReader) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "expected an object")
        try enter()
        skipWhitespace()
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            let key = try readKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after an object key")
            try body(key, &self)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "}"), "expected ',' or '}' in an object")
            depth -= 1
            return
        }
    }

    /// Like `readObject`, but a `null` is read as an object without members.
    public mutating func readObjectIfPresent(
        _ body: (JSONKey, inout JSONReader) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        if try readNull() { return }
        try readObject(body)
    }

    /// Calls `body` for each element of an array; `body` must read or skip the element.
    public mutating func readArray(_ body: (inout JSONReader) throws(JSONReadError) -> Void) throws(JSONReadError) {
        skipWhitespace()
        try expect(UInt8(ascii: "["), "expected an array")
        try enter()
        skipWhitespace()
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return
        }
        while true {
            try body(&self)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "]"), "expected ',' or ']' in an array")
            depth -= 1
            return
        }
    }

    /// Consumes a `null` if one comes next; `true` when it did.
    public mutating func readNull() throws(JSONReadError) -> Bool {
        guard try peek() == .null else { return false }
        try expectLiteral("null")
        return true
    }

    // MARK: Scalars

    public mutating func readString() throws(JSONReadError) -> String {
        try openString()
        let start = offset
        if try scanStringBody() {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(offset - 1)]), as: UTF8.self)
        }
        return try unescape(start..<(offset - 1))
    }

    public mutating func readBool() throws(JSONReadError) -> Bool {
        switch try peek() {
        case .bool where bytes[offset] == UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case .bool:
            try expectLiteral("false")
            return false
        default: throw error("expected true or false")
        }
    }

    /// A string, or `nil` for `null`; anything else is an error.
    public mutating func readOptionalString() throws(JSONReadError) -> String? {
        try readNull() ? nil : readString()
    }

    /// An object of string values (labels, annotations), or `nil` for `null`.
    public mutating func readStringMap() throws(JSONReadError) -> [String: String]? {
        if try readNull() { return nil }
        var map: [String: String] = [:]
        try readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
            map[key.string] = try reader.readString()
        }
        return map
    }

    /// Moves past the opening quote of the string that must come next.
    private mutating func openString() throws(JSONReadError) {
        skipWhitespace()
        try expect(UInt8(ascii: "\""), "expected a string")
    }

    /// Skips a value and returns the byte range it took, to be read later with a reader of its own.
    public mutating func captureValue() throws(JSONReadError) -> Range<Int> {
        skipWhitespace()
        let start = offset
        try skipValue()
        return start..<offset
    }

    // MARK: Lexing

    /// An error at the current position.
    public func error(_ message: String) -> JSONReadError {
        JSONReadError(message: message, offset: offset)
    }

    // The checks below run for every token: they are inlined, and the errors they throw are built out of line,
    // so the common path carries no string building.

    @inline(__always)
    mutating func enter() throws(JSONReadError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw tooDeep() }
    }

    @inline(never)
    private func tooDeep() -> JSONReadError {
        error("nested more than \(Self.maximumDepth) levels deep")
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ message: StaticString) throws(JSONReadError) {
        guard consume(byte) else { throw unexpected(message) }
    }

    @inline(never)
    private func unexpected(_ message: StaticString) -> JSONReadError {
        error(offset < bytes.count ? "\(message)" : "unexpected end of data")
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONReadError) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw error("unexpected end of data") }
        for index in 0..<count where bytes[offset + index] != literal.utf8Start[index] {
            throw error("invalid literal")
        }
        offset += count
    }

    private mutating func readKey() throws(JSONReadError) -> JSONKey {
        try expect(UInt8(ascii: "\""), "expected a string as object key")
        let start = offset
        if try scanStringBody() {
            return JSONKey(raw: UnsafeBufferPointer(rebasing: bytes[start..<(offset - 1)]), decoded: nil)
        }
        return JSONKey(
            raw: UnsafeBufferPointer(rebasing: bytes[start..<(offset - 1)]), decoded: try unescape(start..<(offset - 1))
        )
    }

    /// Moves past the closing quote of a string whose opening quote is consumed. Returns `true` when the string
    /// has no escapes (its bytes are its text). Control characters are refused (RFC 8259 §7).
    mutating func scanStringBody() throws(JSONReadError) -> Bool {
        var isPlain = true
        while true {
            offset = Self.firstSpecialByte(in: bytes, from: offset)
            guard offset < bytes.count else { break }
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\"") { return isPlain }
            if byte == UInt8(ascii: "\\") {
                guard offset < bytes.count else { break }
                isPlain = false
                try skipEscape()
            } else {
                offset -= 1
                throw error("control character in a string")
            }
        }
        throw error("unterminated string")
    }

    /// The index of the first quote, backslash or control byte at or after `start` (or the end). Most of a
    /// review's bytes are string contents, so this looks at eight bytes per step (SWAR): a lane is flagged when
    /// it equals '"' or '\\' or is below 0x20; only the last few bytes are looked at one by one.
    @inline(__always)
    private static func firstSpecialByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let flagged =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            // The lowest flagged lane is exact (a borrow only ever runs upwards, into lanes above a match), so
            // the first special byte is found without looking at the word byte by byte.
            if flagged & highs != 0 { return index + (flagged & highs).trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            index += 1
        }
        return index
    }

    /// Checks the escape after a backslash (RFC 8259 §7) and moves past it.
    private mutating func skipEscape() throws(JSONReadError) {
        switch bytes[offset] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 1
        case UInt8(ascii: "u"):
            guard offset + 5 <= bytes.count,
                bytes[(offset + 1)..<(offset + 5)].allSatisfy({ $0.isHexDigit })
            else { throw error("invalid \\u escape") }
            offset += 5
        default:
            throw error("invalid escape")
        }
    }

    private func unescape(_ range: Range<Int>) throws(JSONReadError) -> String {
        var scalars = String.UnicodeScalarView()
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        func hex4(_ at: Int) throws(JSONReadError) -> UInt32 {
            guard at + 4 <= range.upperBound else { throw JSONReadError(message: "short \\u escape", offset: at) }
            var value: UInt32 = 0
            for byte in bytes[at..<(at + 4)] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw JSONReadError(message: "invalid \\u escape", offset: at)
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(code), index + 6 <= range.upperBound, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = try hex4(index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                // A lone surrogate becomes U+FFFD, as Go's decoder does.
                scalars.removeAll()
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                output.append(contentsOf: String(scalars).utf8)
            default:
                throw JSONReadError(message: "invalid escape", offset: index - 1)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    mutating func skipNumber() throws(JSONReadError) {
        // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        func digits(_ reader: inout JSONReader) -> Int {
            let start = reader.offset
            while reader.offset < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.offset]) {
                reader.offset += 1
            }
            return reader.offset - start
        }
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
        } else if digits(&self) == 0 {
            throw error("invalid number")
        }
        if consume(UInt8(ascii: ".")), digits(&self) == 0 { throw error("invalid number") }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            if digits(&self) == 0 { throw error("invalid number") }
        }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

public enum JSONValueKind: Sendable, Equatable {
    case object, array, string, number, bool, null
}

/// An object key as it appears in the text; compared without building a String unless it has escapes.
public struct JSONKey {
    let raw: UnsafeBufferPointer<UInt8>
    let decoded: String?

    public static func == (key: JSONKey, name: StaticString) -> Bool {
        if let decoded = key.decoded { return decoded == String(describing: name) }
        guard key.raw.count == name.utf8CodeUnitCount else { return false }
        for index in 0..<key.raw.count where key.raw[index] != name.utf8Start[index] { return false }
        return true
    }

    public var string: String { decoded ?? String(decoding: raw, as: UTF8.self) }
}

/// Why a JSON document could not be read, with the byte offset where it went wrong.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }
}
