extension JSONReader {
    /// Skips any value, checking its syntax.
    public mutating func skipValue() throws(JSONReadError) {
        try skipAnyValue()
    }

    /// What the skipper expects next inside a container.
    fileprivate enum SkipState {
        case valueOrArrayEnd, value, keyOrObjectEnd, key, commaOrEnd
    }

    /// Skips the value that starts here, of any kind, in one loop: most of a review's bytes are in subtrees nobody
    /// reads (managedFields, images), and a loop with a small state machine checks their grammar without a
    /// closure call and a recursion per value. Each step looks at the byte once and dispatches on it directly,
    /// rather than asking `peek` and then a skipper for that kind; a lone scalar ends the loop after its first
    /// step. Errors and offsets are the same as reading them would give.
    private mutating func skipAnyValue() throws(JSONReadError) {
        let baseDepth = depth
        var kinds = ContainerStack()
        var state = SkipState.value
        while true {
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of data") }
            let byte = bytes[offset]
            switch state {
            case .valueOrArrayEnd, .value:
                switch byte {
                case UInt8(ascii: "\""):
                    offset += 1
                    _ = try scanStringBody()
                case UInt8(ascii: "{"):
                    state = try open(object: true, &kinds)
                    continue
                case UInt8(ascii: "["):
                    state = try open(object: false, &kinds)
                    continue
                case UInt8(ascii: "]") where state == .valueOrArrayEnd:
                    close(&kinds)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
                case UInt8(ascii: "t"): try expectLiteral("true")
                case UInt8(ascii: "f"): try expectLiteral("false")
                case UInt8(ascii: "n"): try expectLiteral("null")
                default: throw error("unexpected character")
                }
            case .keyOrObjectEnd, .key:
                if byte == UInt8(ascii: "}") && state == .keyOrObjectEnd {
                    close(&kinds)
                } else {
                    guard byte == UInt8(ascii: "\"") else { throw error("expected a string as object key") }
                    offset += 1
                    _ = try scanStringBody()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"), "expected ':' after an object key")
                    state = .value
                    continue
                }
            case .commaOrEnd:
                let isObject = kinds.topIsObject
                if byte == UInt8(ascii: ",") {
                    offset += 1
                    state = isObject ? .key : .value
                    continue
                }
                if isObject {
                    guard byte == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
                } else {
                    guard byte == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array") }
                }
                close(&kinds)
            }
            // A value or container just ended: done when it was the outermost one.
            if depth == baseDepth { return }
            state = .commaOrEnd
        }
    }
}

extension JSONReader {
    /// Moves past the `{` or `[` here and notes the container; returns what must come first inside it.
    fileprivate mutating func open(object: Bool, _ kinds: inout ContainerStack) throws(JSONReadError) -> SkipState {
        offset += 1
        try enter()
        kinds.push(isObject: object)
        return object ? .keyOrObjectEnd : .valueOrArrayEnd
    }

    /// Moves past the `}` or `]` here and forgets its container.
    fileprivate mutating func close(_ kinds: inout ContainerStack) {
        offset += 1
        depth -= 1
        kinds.pop()
    }
}

/// Whether each open container is an object or an array, one bit per level, without allocating: the reader
/// refuses documents deeper than `JSONReader.maximumDepth` (200) anyway.
private struct ContainerStack {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count = 0

    @inline(__always)
    mutating func push(isObject: Bool) {
        precondition(count < 256, "deeper than the reader allows")
        let mask: UInt64 = 1 << UInt64(count & 63)
        switch count >> 6 {
        case 0: bits.0 = isObject ? bits.0 | mask : bits.0 & ~mask
        case 1: bits.1 = isObject ? bits.1 | mask : bits.1 & ~mask
        case 2: bits.2 = isObject ? bits.2 | mask : bits.2 & ~mask
        default: bits.3 = isObject ? bits.3 | mask : bits.3 & ~mask
        }
        count += 1
    }

    mutating func pop() { count -= 1 }

    var topIsObject: Bool {
        let index = count - 1
        let word: UInt64
        switch index >> 6 {
        case 0: word = bits.0
        case 1: word = bits.1
        case 2: word = bits.2
        default: word = bits.3
        }
        return word >> UInt64(index & 63) & 1 == 1
    }
}
