import HTTPServer
import Testing

@Suite struct HTTPResponseEncoderTests {
    func encoded(_ response: HTTPResponse, keepAlive: Bool = true, requestVersion: HTTPVersion = .http1_1) -> String {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.encode(response, keepAlive: keepAlive, requestVersion: requestVersion, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func okWithBody_isEncodedExactly() {
        let response = HTTPResponse(
            status: .ok, headers: ["Content-Type": "application/json"], body: Array("{\"ok\":true}".utf8))

        #expect(
            encoded(response)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}")
    }

    @Test func responseWithoutKeepAlive_saysConnectionClose() {
        let response = HTTPResponse(status: .badRequest, body: Array("bad".utf8))

        #expect(
            encoded(response, keepAlive: false)
                == "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad")
    }

    @Test func emptyBody_stillHasContentLengthZero() {
        #expect(encoded(HTTPResponse(status: .notFound)) == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func http10ClientKeptAlive_isToldKeepAlive() {
        #expect(
            encoded(HTTPResponse(status: .ok), requestVersion: .http1_0)
                == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func continue_isEncodedExactly() {
        var buffer: [UInt8] = Array("x".utf8)
        HTTPResponseEncoder.encodeContinue(into: &buffer)

        #expect(buffer == Array("xHTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    @Test func handlerFramingHeaders_areReplacedByComputedOnes() {
        let response = HTTPResponse(
            status: .ok, headers: ["Content-Length": "99", "Transfer-Encoding": "chunked", "Connection": "close"],
            body: Array("ab".utf8))

        #expect(encoded(response) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab")
    }

    @Test func noContent_hasNoContentLengthAndNoBody() {
        let response = HTTPResponse(status: .noContent, body: Array("ignored".utf8))

        #expect(encoded(response) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func crlfInAHeaderValue_cannotSplitTheResponse() {
        let response = HTTPResponse(status: .ok, headers: ["X-Echo": "a\r\nSet-Cookie: evil"])

        #expect(encoded(response) == "HTTP/1.1 200 OK\r\nX-Echo: a  Set-Cookie: evil\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func headerNameThatIsNotAToken_isDropped() {
        let response = HTTPResponse(status: .ok, headers: ["Bad Name": "x", "Good": "y"])

        #expect(encoded(response) == "HTTP/1.1 200 OK\r\nGood: y\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func encoding_appendsToTheBuffer() {
        var buffer: [UInt8] = Array("previous".utf8)
        HTTPResponseEncoder.encode(HTTPResponse(status: .ok), keepAlive: true, into: &buffer)

        #expect(String(decoding: buffer, as: UTF8.self) == "previousHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    }
}
