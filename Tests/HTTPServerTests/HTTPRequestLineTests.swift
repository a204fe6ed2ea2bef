import HTTPServer
import Testing

@Suite struct HTTPRequestLineTests {
    @Test func originFormTarget_isSplitIntoPathAndQuery() throws {
        let head = try request("GET /validate?timeout=10s&x=1 HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(head.target == "/validate?timeout=10s&x=1")
        #expect(head.path == "/validate")
        #expect(head.query == "timeout=10s&x=1")
    }

    @Test func targetWithoutQuestionMark_hasNilQuery() throws {
        let head = try request("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(head.query == nil)
    }

    @Test func targetEndingInQuestionMark_hasEmptyQuery() throws {
        let head = try request("GET /metrics? HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(head.path == "/metrics")
        #expect(head.query == "")
    }

    @Test func absoluteFormTarget_takesThePath() throws {
        let head = try request("POST https://webhook.kube-system.svc:443/validate?x=1 HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(head.path == "/validate")
        #expect(head.query == "x=1")
    }

    @Test func absoluteFormWithoutPath_hasRootPath() throws {
        let head = try request("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n").head

        #expect(head.path == "/")
    }

    @Test func absoluteFormWithEmptyHost_isRefusedWith400() {
        #expect(parseError("GET http:///validate HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func asteriskFormWithOptions_isAccepted() throws {
        let head = try request("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(head.path == "*")
    }

    @Test func asteriskFormWithGet_isRefusedWith400() {
        #expect(parseError("GET * HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test(arguments: ["example.com:443", "validate", "ftp://example.com/x"])
    func targetNeitherPathNorHTTPURI_isRefusedWith400(target: String) {
        #expect(parseError("CONNECT \(target) HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func methodNames_areCaseSensitive() throws {
        let head = try request("get / HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(head.method == "get")
        #expect(head.method != "GET")
    }

    @Test func methodThatIsNotAToken_isRefusedWith400() {
        #expect(parseError("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func requestLineWithTwoSpaces_isRefusedWith400() {
        #expect(parseError("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func requestLineWithoutVersion_isRefusedWith400() {
        #expect(parseError("GET /\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func requestLineStartingWithSpace_isRefusedWith400() {
        #expect(parseError(" GET / HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func nulInTheTarget_isRefusedWith400() {
        #expect(parseError("GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func nulInTheMethod_isRefusedWith400() {
        #expect(parseError("G\0T / HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func nonASCIIByteInTheTarget_isRefusedWith400() {
        let raw = Array("GET /caf".utf8) + [0xE9] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)

        #expect(parseError(raw)?.status == .badRequest)
    }

    @Test func http10Request_isAccepted() throws {
        let head = try request("GET / HTTP/1.0\r\n\r\n").head

        #expect(head.version == .http1_0)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"])
    func wellFormedUnsupportedVersion_isRefusedWith505(version: String) {
        #expect(parseError("GET / \(version)\r\nHost: a\r\n\r\n")?.status == .httpVersionNotSupported)
    }

    @Test(arguments: ["HTTP/1.10", "HTTP/1", "http/1.1", "HTTP/1.1 ", "HTTPS/1.1", "HTTP/a.b", "FOO"])
    func malformedVersion_isRefusedWith400(version: String) {
        #expect(parseError("GET / \(version)\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func headBuiltByHand_splitsPathAndQueryLikeTheParser() throws {
        let built = HTTPRequestHead(method: "POST", target: "/validate?x=1", headers: ["Host": "a"])
        let parsed = try request("POST /validate?x=1 HTTP/1.1\r\nHost: a\r\n\r\n").head

        #expect(built == parsed)
    }

    @Test func emptyLineSplitFromItsLineFeed_isStillSkipped() throws {
        var parser = HTTPRequestParser(limits: testLimits)
        parser.append(Array("\r".utf8))
        #expect(try parser.nextEvent() == nil)
        parser.append(Array("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))

        guard case .head(let head) = try parser.nextEvent() else {
            Issue.record("expected a head")
            return
        }
        #expect(head.path == "/")
    }
}
