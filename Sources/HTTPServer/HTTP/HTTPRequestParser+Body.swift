extension HTTPRequestParser {
    /// Moves buffered bytes into the body as far as they go. Returns true when the body is complete.
    mutating func readBody(_ state: inout BodyState) throws(HTTPParseError) -> Bool {
        while true {
            switch state {
            case .length(let remaining):
                let taken = takeBodyBytes(upTo: remaining)
                state = .length(remaining: remaining - taken)
                return taken == remaining
            case .chunkSizeLine:
                guard let size = try readChunkSizeLine() else { return false }
                state = size == 0 ? .trailers(bytesSeen: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = takeBodyBytes(upTo: remaining)
                guard taken == remaining else {
                    state = .chunkData(remaining: remaining - taken)
                    return false
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                // RFC 9112 §7.1: chunk data is followed by CRLF; anything else means the size was a lie.
                let available = buffer.count - readIndex
                guard available > 0 else { return false }
                guard buffer[readIndex] == HTTPByte.cr else {
                    throw .badRequest("chunk data is not followed by CRLF")
                }
                guard available > 1 else { return false }
                guard buffer[readIndex + 1] == HTTPByte.lf else {
                    throw .badRequest("chunk data is not followed by CRLF")
                }
                readIndex += 2
                state = .chunkSizeLine
            case .trailers(let bytesSeen):
                guard let lineLength = try readTrailerLine(bytesSeen: bytesSeen) else {
                    state = .trailers(bytesSeen: bytesSeen)
                    return false
                }
                // RFC 9112 §7.1.2: trailer fields are read and discarded; an empty line ends the body.
                if lineLength == 2 { return true }
                state = .trailers(bytesSeen: bytesSeen + lineLength)
            }
        }
    }

    /// Copies up to `count` buffered bytes into the body; returns how many it copied.
    private mutating func takeBodyBytes(upTo count: Int) -> Int {
        let taken = min(count, buffer.count - readIndex)
        guard taken > 0 else { return 0 }
        buffer.withUnsafeBufferPointer { body.append(contentsOf: $0[readIndex..<readIndex + taken]) }
        readIndex += taken
        return taken
    }

    /// The byte index of the LF ending the line that starts at `readIndex`, searching at most `limit` bytes;
    /// nil when none is buffered yet. The LF must follow a CR (see the type's note on line endings).
    private func lineFeedIndex(within limit: Int) throws(HTTPParseError) -> Int? {
        let start = readIndex
        let end = min(buffer.count, start + limit)
        return try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) -> Int? in
            guard let lf = bytes[start..<end].firstIndex(of: HTTPByte.lf) else { return nil }
            guard lf > start, bytes[lf - 1] == HTTPByte.cr else {
                throw .badRequest("line ending is a bare LF instead of CRLF")
            }
            return lf
        }
    }

    /// RFC 9112 §7.1: `chunk-size [ chunk-ext ] CRLF`. Returns the size, nil when the line is not complete yet.
    private mutating func readChunkSizeLine() throws(HTTPParseError) -> Int? {
        let window = limits.maxChunkLineBytes + 2
        guard let lf = try lineFeedIndex(within: window) else {
            if buffer.count - readIndex >= window {
                throw .badRequest("chunk-size line longer than \(limits.maxChunkLineBytes) bytes")
            }
            return nil
        }
        let start = readIndex
        let (size, extensionBytes) = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) in
            try Self.parseChunkSize(bytes[start..<lf - 1])
        }
        chunkExtensionBytes += extensionBytes
        // Extensions are ignored, but their total is bounded like a header section (CVE-2024-22019's shape).
        if chunkExtensionBytes > limits.maxHeaderBytes {
            throw .badRequest("chunk extensions exceed \(limits.maxHeaderBytes) bytes")
        }
        // RFC 9112 §7.1: the running total is checked before the chunk's data is read.
        if size > limits.maxBodyBytes - body.count {
            throw HTTPParseError(
                status: .payloadTooLarge, reason: "chunked body exceeds the limit of \(limits.maxBodyBytes) bytes")
        }
        if body.isEmpty && size > 0 {
            body.reserveCapacity(min(size, Self.maxUpfrontBodyReservation))
        }
        readIndex = lf + 1
        return size
    }

    /// Parses `1*HEXDIG [ BWS ";" chunk-ext ]` without CRLF; returns the size and the byte count of the extensions.
    static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>.SubSequence) throws(HTTPParseError) -> (Int, Int) {
        var index = line.startIndex
        var size = 0
        while index < line.endIndex, let digit = HTTPByte.hexValue(line[index]) {
            // Leading zeros are allowed; a size beyond Int is refused rather than wrapped.
            guard size <= (Int.max - digit) / 16 else {
                throw .badRequest("chunk size is too large")
            }
            size = size * 16 + digit
            index += 1
        }
        guard index > line.startIndex else {
            throw .badRequest("chunk size is not a hexadecimal number")
        }
        guard index < line.endIndex else { return (size, 0) }
        let extensions = line[index...]
        // RFC 9112 §7.1.1: BWS then ";" starts the extensions; they are ignored but may hold no control bytes.
        let separator = extensions.firstIndex { !HTTPByte.isWhitespace($0) }
        guard let separator, extensions[separator] == HTTPByte.semicolon else {
            throw .badRequest("chunk size is followed by something other than an extension")
        }
        for byte in extensions where byte != HTTPByte.tab && (byte < 0x20 || byte == 0x7F) {
            throw .badRequest("chunk extension contains a control byte")
        }
        return (size, extensions.count)
    }

    /// Reads one trailer line; returns its length with CRLF (2 for the final empty line), nil when incomplete.
    /// The trailer section is bounded by `maxHeaderBytes` (431), like the head.
    private mutating func readTrailerLine(bytesSeen: Int) throws(HTTPParseError) -> Int? {
        let budget = limits.maxHeaderBytes - bytesSeen
        let lf = budget > 0 ? try lineFeedIndex(within: budget) : nil
        guard let lf else {
            if buffer.count - readIndex >= budget {
                throw HTTPParseError(
                    status: .requestHeaderFieldsTooLarge,
                    reason: "chunked trailer section exceeds \(limits.maxHeaderBytes) bytes")
            }
            return nil
        }
        let start = readIndex
        let lineLength = lf + 1 - start
        if lineLength > 2 {
            _ = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) in
                try HTTPFieldLine.parse(bytes[start..<lf - 1])
            }
        }
        readIndex = lf + 1
        return lineLength
    }
}
