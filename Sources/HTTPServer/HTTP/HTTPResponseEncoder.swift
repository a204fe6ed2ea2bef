/// Writes responses as HTTP/1.1 bytes. Every response is framed by `Content-Length` (never chunked): bodies are
/// built whole before they are sent, and a length lets the client reuse the connection.
public enum HTTPResponseEncoder {
    /// Appends the status line, the response's headers, `Content-Length`, `Connection` and the body to `buffer`.
    ///
    /// - `Content-Length` is always computed from the body; `Content-Length`, `Transfer-Encoding` and `Connection`
    ///   fields in `response.headers` are dropped, since the encoder and the connection decide framing.
    /// - `keepAlive == false` writes `Connection: close`; an HTTP/1.0 client that keeps the connection gets
    ///   `Connection: keep-alive`, without which it would close (RFC 9112 §9.3).
    /// - 1xx, 204 and 304 responses carry neither `Content-Length` nor a body (RFC 9110 §8.6, §6.4.1).
    /// - A header whose name is not a token is dropped and CR, LF or NUL in a value or reason become spaces, so a
    ///   value echoed from a client can never split the response.
    public static func encode(
        _ response: HTTPResponse, keepAlive: Bool, requestVersion: HTTPVersion = .http1_1,
        into buffer: inout [UInt8]
    ) {
        let status = response.status
        let hasBody = !(100...199).contains(status.code) && status.code != 204 && status.code != 304
        buffer.reserveCapacity(buffer.count + 128 + response.headers.count * 48 + (hasBody ? response.body.count : 0))

        appendASCII("HTTP/1.1 ", to: &buffer)
        appendASCII(String(status.code), to: &buffer)
        buffer.append(HTTPByte.space)
        appendSanitized(status.reason, to: &buffer)
        appendCRLF(to: &buffer)

        for (name, value) in response.headers where isWritable(name: name) {
            appendASCII(name, to: &buffer)
            appendASCII(": ", to: &buffer)
            appendSanitized(value, to: &buffer)
            appendCRLF(to: &buffer)
        }
        if hasBody {
            appendASCII("Content-Length: ", to: &buffer)
            appendASCII(String(response.body.count), to: &buffer)
            appendCRLF(to: &buffer)
        }
        if !keepAlive {
            appendASCII("Connection: close\r\n", to: &buffer)
        } else if requestVersion == .http1_0 {
            appendASCII("Connection: keep-alive\r\n", to: &buffer)
        }
        appendCRLF(to: &buffer)
        if hasBody {
            buffer.append(contentsOf: response.body)
        }
    }

    /// Appends "HTTP/1.1 100 Continue" and the empty line: the interim answer to `Expect: 100-continue`.
    public static func encodeContinue(into buffer: inout [UInt8]) {
        appendASCII("HTTP/1.1 100 Continue\r\n\r\n", to: &buffer)
    }

    /// Fields the encoder writes itself, and names that are not tokens, are not copied from the handler's headers.
    private static func isWritable(name: String) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy(HTTPByte.isTokenCharacter) else { return false }
        return !HTTPHeaders.namesMatch(name, "Content-Length")
            && !HTTPHeaders.namesMatch(name, "Transfer-Encoding")
            && !HTTPHeaders.namesMatch(name, "Connection")
    }

    @inline(__always)
    private static func appendASCII(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: text.utf8)
    }

    @inline(__always)
    private static func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(HTTPByte.cr)
        buffer.append(HTTPByte.lf)
    }

    private static func appendSanitized(_ text: String, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        if !utf8.contains(where: isUnsafeInField) {
            buffer.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            buffer.append(isUnsafeInField(byte) ? HTTPByte.space : byte)
        }
    }

    @inline(__always)
    private static func isUnsafeInField(_ byte: UInt8) -> Bool {
        byte == HTTPByte.cr || byte == HTTPByte.lf || byte == 0
    }
}
