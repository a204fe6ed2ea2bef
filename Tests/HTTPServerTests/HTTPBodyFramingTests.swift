import HTTPServer
import Testing

/// Content-Length, Transfer-Encoding and the smuggling shapes of RFC 9112 §6.
@Suite struct HTTPBodyFramingTests {
    @Test func contentLengthZero_hasEmptyBody() throws {
        let parsed = try request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")

        #expect(parsed.head.contentLength == 0)
        #expect(parsed.body.isEmpty)
    }

    @Test func contentLengthWithLeadingZeros_isAccepted() throws {
        #expect(try request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc").body.count == 3)
    }

    @Test func twoEqualContentLengths_areRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func twoDifferentContentLengths_areRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test(arguments: ["3, 3", "3,3", "-3", "+3", "3 3", "0x3", "3a", "", "٣", "1e3", "3.0"])
    func malformedContentLength_isRefusedWith400(value: String) {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\nabc"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func negativeContentLength_isRefusedWith400() {
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")?.status == .badRequest)
    }

    @Test func contentLengthBeyondInt_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func contentLengthOverTheLimit_isRefusedWith413BeforeTheBody() {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n".utf8))

        let error = #expect(throws: HTTPParseError.self) { try parser.nextEvent() }
        #expect(error?.status == .payloadTooLarge)
    }

    @Test func hugeContentLengthThatFitsInt_isRefusedWith413() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n"

        #expect(parseError(raw)?.status == .payloadTooLarge)
    }

    @Test func contentLengthAtTheLimit_isAccepted() throws {
        let body = String(repeating: "b", count: 1024)

        #expect(try request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n" + body).body.count == 1024)
    }

    @Test func contentLengthAndTransferEncoding_areRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func transferEncodingThenContentLength_areRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkedInAnyCase_isAccepted() throws {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n2\r\nok\r\n0\r\n\r\n"

        #expect(try request(raw).body == Array("ok".utf8))
    }

    @Test func chunkedRequest_hasNilContentLength() throws {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"

        #expect(try request(raw).head.contentLength == nil)
    }

    @Test(arguments: ["gzip, chunked", "deflate,chunked"])
    func otherCodingBeforeChunked_isRefusedWith501(value: String) {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .notImplemented)
    }

    @Test func codingSplitOverTwoFields_isRefusedWith501() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .notImplemented)
    }

    @Test(arguments: ["chunked, gzip", "gzip", "identity", "chunked, chunked", "chunked;q=1", "", " , "])
    func transferEncodingNotEndingInOneChunked_isRefusedWith400(value: String) {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func transferEncodingInHTTP10_isRefusedWith400() {
        let raw = "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkedBody_isDecoded() throws {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n"

        #expect(try request(raw).body == Array("hello 0123456789".utf8))
    }

    @Test func chunkSizeWithLeadingZeros_isAccepted() throws {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0002\r\nok\r\n000\r\n\r\n"

        #expect(try request(raw).body == Array("ok".utf8))
    }

    @Test func chunkExtensions_areIgnored() throws {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;name=value ; other\r\nok\r\n0 ;last\r\n\r\n"

        #expect(try request(raw).body == Array("ok".utf8))
    }

    @Test(arguments: ["zz", "", " 2", "-2", "2 x", "0x2"])
    func invalidChunkSize_isRefusedWith400(size: String) {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nok\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkSizeBeyondInt_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nok\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkLineLongerThanTheLimit_isRefusedWith400() {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;" + String(repeating: "e", count: 70)

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkExtensionsOverTheHeaderBudget_areRefusedWith400() {
        let chunk = "1;" + String(repeating: "e", count: 60) + "\r\nx\r\n"
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 10)

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func controlByteInAChunkExtension_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;a\0b\r\nok\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkedBodyOverTheLimit_isRefusedWith413() {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n"
            + String(repeating: "a", count: 512) + "\r\n201\r\n"

        #expect(parseError(raw)?.status == .payloadTooLarge)
    }

    @Test func chunkOverTheLimit_isRefusedWith413BeforeItsData() {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n".utf8))
        _ = try? parser.nextEvent()

        let error = #expect(throws: HTTPParseError.self) { try parser.nextEvent() }
        #expect(error?.status == .payloadTooLarge)
    }

    @Test func chunkDataNotFollowedByCRLF_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkDataFollowedByCRWithoutLF_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\rX0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func chunkSizeLineWithBareLF_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func trailers_areReadAndDiscarded() throws {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Checksum: 1\r\nX-B: 2\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"

        let parsed = try requests(raw)

        #expect(parsed.map(\.head.path) == ["/", "/next"])
        #expect(parsed[0].head.headers["x-checksum"] == nil)
        #expect(parsed[0].body == Array("ok".utf8))
    }

    @Test func malformedTrailer_isRefusedWith400() {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon here\r\n\r\n"

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func trailersOverTheHeaderLimit_areRefusedWith431() {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
            + String(repeating: "X-T: " + String(repeating: "t", count: 40) + "\r\n", count: 20)

        #expect(parseError(raw)?.status == .requestHeaderFieldsTooLarge)
    }
}
