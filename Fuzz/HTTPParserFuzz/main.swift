// libFuzzer entry for the HTTP/1.1 request parser, compiled together with Sources/HTTPServer/HTTP/*.swift by
// scripts/fuzz-http-parser.sh (swiftc cannot link an SPM target into a libFuzzer binary directly).
//
// Besides "never crash", every input is checked differentially: parsed in one piece, byte by byte and in uneven
// pieces, the events and the error must be identical, because a parser whose answer depends on how TCP split the
// stream is a request-smuggling bug. Small limits make the 413/431 paths reachable with short inputs.

let fuzzLimits = HTTPParserLimits(maxBodyBytes: 300, maxHeaderBytes: 600, maxHeaderCount: 12, maxChunkLineBytes: 48)

struct Outcome: Equatable {
    var events: [HTTPParserEvent] = []
    var error: HTTPParseError?
    var bufferedByteCount = 0
    var isIdle = true
}

/// Feeds `input` in pieces whose sizes come from `pieceSize(pieceNumber)`, draining events after each piece.
func parse(_ input: UnsafeBufferPointer<UInt8>, pieceSize: (Int) -> Int) -> Outcome {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var outcome = Outcome()
    var offset = 0
    var pieceNumber = 0
    feeding: while offset < input.count {
        let end = min(input.count, offset + max(1, pieceSize(pieceNumber)))
        parser.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(input)[offset..<end]))
        offset = end
        pieceNumber += 1
        do {
            while let event = try parser.nextEvent() {
                check(event, after: outcome.events.last)
                outcome.events.append(event)
            }
        } catch {
            outcome.error = error
            break feeding
        }
        precondition(parser.bufferedByteCount >= 0 && parser.bufferedByteCount <= offset)
    }
    if outcome.error == nil {
        outcome.bufferedByteCount = parser.bufferedByteCount
        outcome.isIdle = parser.isIdle
        precondition(parser.isIdle == (parser.bufferedByteCount == 0 && outcome.events.count % 2 == 0))
    }
    return outcome
}

/// Invariants of one event: heads and requests alternate, bodies respect the limit and the announced length.
func check(_ event: HTTPParserEvent, after previous: HTTPParserEvent?) {
    switch event {
    case .head(let head):
        if case .head = previous { preconditionFailure("two heads in a row") }
        precondition(head.version == .http1_0 || head.version == .http1_1)
        precondition((head.contentLength ?? 0) <= fuzzLimits.maxBodyBytes)
        checkEncoderEchoes(head)
    case .request(let request):
        guard case .head(let head) = previous else { preconditionFailure("a request without its head") }
        precondition(request.head == head)
        precondition(request.body.count <= fuzzLimits.maxBodyBytes)
        if let length = head.contentLength { precondition(request.body.count == length) }
    }
}

/// Echoing client-controlled header values into a response must never produce an extra header line.
func checkEncoderEchoes(_ head: HTTPRequestHead) {
    var headers = HTTPHeaders()
    for (name, value) in head.headers { headers.add(name: name, value: value) }
    headers.add(name: "X-Target", value: head.target + "\r\nInjected: yes")
    var encoded: [UInt8] = []
    HTTPResponseEncoder.encode(
        HTTPResponse(status: .ok, headers: headers, body: Array(head.path.utf8)), keepAlive: head.keepAlive,
        requestVersion: head.version, into: &encoded)
    var lineFeeds = 0
    for (index, byte) in encoded.enumerated() where byte == 0x0A {
        precondition(index > 0 && encoded[index - 1] == 0x0D, "bare LF in an encoded response")
        lineFeeds += 1
        if index > 2 && encoded[index - 2] == 0x0A && encoded[index - 3] == 0x0D { break }
    }
    precondition(lineFeeds <= head.headers.count + 5, "a header value split the response")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let whole = parse(input) { _ in Int.max }
    let byteByByte = parse(input) { _ in 1 }
    precondition(whole == byteByByte, "byte-by-byte parse differs from the one-piece parse")
    var state = UInt32(truncatingIfNeeded: size) &* 2_654_435_761
    let uneven = parse(input) { _ in
        state = state &* 1_103_515_245 &+ 12_345
        return Int(state >> 16) % 97 + 1
    }
    precondition(whole == uneven, "uneven-pieces parse differs from the one-piece parse")
    return 0
}
