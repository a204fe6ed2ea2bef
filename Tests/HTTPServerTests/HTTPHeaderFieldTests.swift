import HTTPServer
import Testing

@Suite struct HTTPHeaderFieldTests {
    @Test func headerLookup_ignoresCase() throws {
        let head = try request("GET / HTTP/1.1\r\nHOST: a\r\nContent-Type: application/json\r\n\r\n").head

        #expect(head.headers["content-type"] == "application/json")
        #expect(head.headers["Host"] == "a")
    }

    @Test func repeatedHeader_keepsEveryValueInOrder() throws {
        let head = try request("GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\naccept: y\r\n\r\n").head

        #expect(head.headers.values(for: "Accept") == ["x", "y"])
        #expect(head.headers["accept"] == "x")
    }

    @Test func fieldValue_isTrimmedOfOptionalWhitespace() throws {
        let head = try request("GET / HTTP/1.1\r\nHost: a\r\nX-A: \t value with  spaces \t \r\nX-B:tight\r\n\r\n").head

        #expect(head.headers["x-a"] == "value with  spaces")
        #expect(head.headers["x-b"] == "tight")
    }

    @Test func emptyFieldValue_isKept() throws {
        let head = try request("GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n").head

        #expect(head.headers["x-empty"] == "")
    }

    @Test func whitespaceBeforeColon_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost : a\r\n\r\n")?.status == .badRequest)
    }

    @Test func obsoleteLineFolding_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n")?.status == .badRequest)
    }

    @Test func whitespaceBeforeTheFirstHeader_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\n Host: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func fieldNameThatIsNotAToken_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX(Y): z\r\n\r\n")?.status == .badRequest)
    }

    @Test func lineWithoutColon_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nnot a header\r\n\r\n")?.status == .badRequest)
    }

    @Test func emptyFieldName_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\n: value\r\n\r\n")?.status == .badRequest)
    }

    @Test func nulInAFieldValue_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n")?.status == .badRequest)
    }

    @Test func nulInAFieldName_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX\0A: b\r\n\r\n")?.status == .badRequest)
    }

    @Test func bareCRInAFieldValue_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n")?.status == .badRequest)
    }

    @Test func bareLFLineEnding_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\nHost: a\n\n")?.status == .badRequest)
    }

    @Test func bareLFAfterAHeader_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n")?.status == .badRequest)
    }

    @Test func bareLFEndingTheHead_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\n\n")?.status == .badRequest)
    }

    @Test func nonUTF8FieldValue_isKeptAsLatin1() throws {
        let raw =
            Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".utf8) + [0xE9, 0xFF, 0x80]
            + Array("\r\n\r\n".utf8)

        let parsed = try events(raw)

        guard case .request(let request) = parsed.last else {
            Issue.record("expected a request")
            return
        }
        #expect(request.head.headers["x-name"] == "caf\u{E9}\u{FF}\u{80}")
    }

    @Test func invalidUTF8Sequence_doesNotStopTheParser() throws {
        let raw =
            Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: ".utf8) + [0xC3, 0x28, 0xED, 0xA0, 0x80]
            + Array("\r\n\r\n".utf8)

        #expect(try events(raw).count == 2)
    }

    @Test func headLongerThanTheLimit_isRefusedWith431() {
        let raw = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "x", count: 600) + "\r\n\r\n"

        #expect(parseError(raw)?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func unterminatedHead_isRefusedWith431AsSoonAsItReachesTheLimit() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("GET / HTTP/1.1\r\nX: ".utf8))
        while parser.bufferedByteCount < testLimits.maxHeaderBytes - 1 {
            parser.append([UInt8(ascii: "x")])
            #expect(try parser.nextEvent() == nil)
        }
        parser.append([UInt8(ascii: "x")])

        let error = #expect(throws: HTTPParseError.self) { try parser.nextEvent() }
        #expect(error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func headExactlyAtTheLimit_isAccepted() throws {
        let prefix = "GET / HTTP/1.1\r\nHost: a\r\nX: "
        let raw = prefix + String(repeating: "x", count: testLimits.maxHeaderBytes - prefix.utf8.count - 4) + "\r\n\r\n"
        #expect(raw.utf8.count == testLimits.maxHeaderBytes)

        #expect(try requests(raw).count == 1)
    }

    @Test func moreFieldsThanTheLimit_areRefusedWith431() {
        let fields = (0..<11).map { "X-\($0): v\r\n" }.joined()

        #expect(parseError("GET / HTTP/1.1\r\n" + fields + "\r\n")?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func fieldsExactlyAtTheLimit_areAccepted() throws {
        let fields = "Host: a\r\n" + (0..<9).map { "X-\($0): v\r\n" }.joined()

        #expect(try request("GET / HTTP/1.1\r\n" + fields + "\r\n").head.headers.count == 10)
    }

    @Test func http11WithoutHost_isRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")?.status == .badRequest)
    }

    @Test func twoHostFields_areRefusedWith400() {
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test(arguments: ["a b", "a/b", "user@host", "host?x", "h\u{E9}"])
    func invalidHostValue_isRefusedWith400(host: String) {
        #expect(parseError("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")?.status == .badRequest)
    }

    @Test(arguments: ["", "localhost", "vigilante.kube-system.svc:443", "[::1]:8443", "10.0.0.1"])
    func validHostValue_isAccepted(host: String) throws {
        #expect(try request("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").head.headers["host"] == host)
    }

    @Test func http10WithoutHost_isAccepted() throws {
        #expect(try request("GET / HTTP/1.0\r\n\r\n").head.headers["host"] == nil)
    }

    @Test func http11_keepsAliveByDefault() throws {
        #expect(try request("GET / HTTP/1.1\r\nHost: a\r\n\r\n").head.keepAlive)
    }

    @Test func http11WithConnectionClose_doesNotKeepAlive() throws {
        #expect(try !request("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n").head.keepAlive)
    }

    @Test func connectionCloseInAList_doesNotKeepAlive() throws {
        #expect(try !request("GET / HTTP/1.1\r\nHost: a\r\nConnection: TE, close\r\n\r\n").head.keepAlive)
    }

    @Test func http10_closesByDefault() throws {
        #expect(try !request("GET / HTTP/1.0\r\n\r\n").head.keepAlive)
    }

    @Test func http10WithKeepAlive_keepsAlive() throws {
        #expect(try request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").head.keepAlive)
    }

    @Test func http10WithKeepAliveAndClose_closes() throws {
        #expect(try !request("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").head.keepAlive)
    }

    @Test func expect100Continue_isFlagged() throws {
        let head = try events("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n")

        guard case .head(let parsed) = head.first else {
            Issue.record("expected a head before the body")
            return
        }
        #expect(parsed.expectsContinue)
    }

    @Test func requestWithoutExpect_isNotFlagged() throws {
        #expect(try !request("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").head.expectsContinue)
    }

    @Test func expect100ContinueOnHTTP10_isNotFlagged() throws {
        #expect(try !request("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").head.expectsContinue)
    }
}
