import HTTPServer
import Testing

/// Limits small enough that tests reach them with short literals.
let testLimits = HTTPParserLimits(maxBodyBytes: 1024, maxHeaderBytes: 512, maxHeaderCount: 10, maxChunkLineBytes: 64)

/// Feeds `raw` in one piece and drains every event; throws the parser's error.
func events(_ raw: [UInt8], limits: HTTPParserLimits = testLimits) throws(HTTPParseError) -> [HTTPParserEvent] {
    var parser = HTTPRequestParser(limits: limits)
    parser.append(raw)
    var events: [HTTPParserEvent] = []
    while let event = try parser.nextEvent() { events.append(event) }
    return events
}

func events(_ raw: String, limits: HTTPParserLimits = testLimits) throws(HTTPParseError) -> [HTTPParserEvent] {
    try events(Array(raw.utf8), limits: limits)
}

/// The complete requests in `raw`, without the `.head` events.
func requests(_ raw: String, limits: HTTPParserLimits = testLimits) throws(HTTPParseError) -> [HTTPRequest] {
    try events(raw, limits: limits).compactMap {
        if case .request(let request) = $0 { return request }
        return nil
    }
}

/// The single complete request in `raw`.
func request(_ raw: String, limits: HTTPParserLimits = testLimits) throws -> HTTPRequest {
    let all = try requests(raw, limits: limits)
    try #require(all.count == 1)
    return all[0]
}

/// The error the parser stops with, or nil if it does not stop.
func parseError(_ raw: [UInt8], limits: HTTPParserLimits = testLimits) -> HTTPParseError? {
    do {
        _ = try events(raw, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseError(_ raw: String, limits: HTTPParserLimits = testLimits) -> HTTPParseError? {
    parseError(Array(raw.utf8), limits: limits)
}

/// Feeds `raw` split in two at `offset`, draining events after each part.
func eventsSplit(_ raw: [UInt8], at offset: Int) throws(HTTPParseError) -> [HTTPParserEvent] {
    var parser = HTTPRequestParser(limits: testLimits)
    var events: [HTTPParserEvent] = []
    parser.append(raw[..<offset])
    while let event = try parser.nextEvent() { events.append(event) }
    parser.append(raw[offset...])
    while let event = try parser.nextEvent() { events.append(event) }
    return events
}

@Suite struct HTTPRequestParserTests {
    @Test func simpleGet_yieldsHeadThenRequest() throws {
        let parsed = try events("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")

        try #require(parsed.count == 2)
        guard case .head(let head) = parsed[0], case .request(let request) = parsed[1] else {
            Issue.record("expected .head then .request, got \(parsed)")
            return
        }
        #expect(head.method == "GET")
        #expect(head.path == "/healthz")
        #expect(head.version == .http1_1)
        #expect(head.headers["host"] == "localhost")
        #expect(head.contentLength == nil)
        #expect(request.head == head)
        #expect(request.body.isEmpty)
    }

    @Test func postWithContentLength_hasItsBody() throws {
        let parsed = try request("POST /validate HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n{\"a\": true}")

        #expect(parsed.head.contentLength == 11)
        #expect(parsed.body == Array("{\"a\": true}".utf8))
    }

    @Test func requestWithoutLengthOrTransferEncoding_hasEmptyBody() throws {
        let parsed = try requests("POST /validate HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")

        #expect(parsed.map(\.head.method) == ["POST", "GET"])
        #expect(parsed[0].body.isEmpty)
    }

    @Test func headIsEmittedBeforeTheBodyArrives() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab".utf8))

        guard case .head(let head) = try parser.nextEvent() else {
            Issue.record("expected .head")
            return
        }
        #expect(head.contentLength == 4)
        #expect(try parser.nextEvent() == nil)
        parser.append(Array("cd".utf8))
        #expect(try parser.nextEvent() == .request(HTTPRequest(head: head, body: Array("abcd".utf8))))
    }

    @Test func threePipelinedRequests_comeOutInOrder() throws {
        let raw =
            "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n111"
            + "POST /two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n222\r\n0\r\n\r\n"
            + "GET /three HTTP/1.1\r\nHost: a\r\n\r\n"

        let parsed = try events(raw)

        let kinds = parsed.map { event -> String in
            switch event {
            case .head(let head): "head \(head.path)"
            case .request(let request): "request \(request.head.path) \(String(decoding: request.body, as: UTF8.self))"
            }
        }
        #expect(
            kinds == [
                "head /one", "request /one 111", "head /two", "request /two 222", "head /three", "request /three ",
            ])
    }

    @Test(arguments: [
        "POST /validate?dryRun=true HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nT: 1\r\n\r\n",
    ])
    func requestSplitAtEveryOffset_parsesAsInOnePiece(raw: String) throws {
        let bytes = Array(raw.utf8)
        let whole = try events(bytes)
        #expect(whole.count == 2)

        for offset in 0...bytes.count {
            #expect(try eventsSplit(bytes, at: offset) == whole, "split at \(offset)")
        }
    }

    @Test func requestFedByteByByte_parsesAsInOnePiece() throws {
        let bytes = Array(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8)
        var parser = HTTPRequestParser(limits: testLimits)
        var parsed: [HTTPParserEvent] = []
        for byte in bytes {
            parser.append([byte])
            while let event = try parser.nextEvent() { parsed.append(event) }
        }

        #expect(parsed == (try events(bytes)))
    }

    @Test func emptyLinesBeforeRequestLine_areIgnored() throws {
        let parsed = try request("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")

        #expect(parsed.head.method == "GET")
    }

    @Test func manyEmptyLinesBeforeRequestLine_areRefusedWith400() {
        let raw = String(repeating: "\r\n", count: 10) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func afterAnError_everyCallThrowsTheSameError() {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".utf8))

        let first = #expect(throws: HTTPParseError.self) { try parser.nextEvent() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        let second = #expect(throws: HTTPParseError.self) { try parser.nextEvent() }
        #expect(first != nil)
        #expect(first == second)
    }

    @Test func newParser_isIdleWithNothingBuffered() {
        let parser = HTTPRequestParser(limits: testLimits)

        #expect(parser.isIdle)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func partialHead_isNotIdleAndCountsItsBytes() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("GET / HT".utf8))

        #expect(try parser.nextEvent() == nil)
        #expect(!parser.isIdle)
        #expect(parser.bufferedByteCount == 8)
    }

    @Test func partialBody_countsBufferedAndBodyBytes() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n1234".utf8))
        _ = try parser.nextEvent()
        #expect(try parser.nextEvent() == nil)
        parser.append(Array("56".utf8))

        #expect(!parser.isIdle)
        #expect(parser.bufferedByteCount == 6)
    }

    @Test func afterCompleteRequest_parserIsIdleAgain() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok".utf8))
        while try parser.nextEvent() != nil {}

        #expect(parser.isIdle)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func pipelinedBytesAfterARequest_areCountedAndNotIdle() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next".utf8))
        _ = try parser.nextEvent()
        _ = try parser.nextEvent()

        #expect(try parser.nextEvent() == nil)
        #expect(!parser.isIdle)
        #expect(parser.bufferedByteCount == 9)
    }

    @Test func largeBodyInManyPieces_arrivesWhole() throws {
        let body = (0..<20_000).map { UInt8(truncatingIfNeeded: $0) }
        var parser = HTTPRequestParser(limits: HTTPParserLimits(maxBodyBytes: 64 * 1024))
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 20000\r\n\r\n".utf8) + body[..<100])
        var completed: HTTPRequest?
        var offset = 100
        while completed == nil {
            while let event = try parser.nextEvent() {
                if case .request(let request) = event { completed = request }
            }
            guard offset < body.count else { break }
            parser.append(body[offset..<min(offset + 1_500, body.count)])
            offset += 1_500
        }

        #expect(completed?.body == body)
    }
}
