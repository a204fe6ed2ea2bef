/// What `HTTPRequestParser.nextEvent()` yields. Each request produces one `.head` and then one `.request`.
public enum HTTPParserEvent: Sendable, Equatable {
    /// The head is complete and checked; no body byte has been read yet. The server can answer
    /// `100 Continue` (`head.expectsContinue`) or refuse the request before the client sends the body.
    case head(HTTPRequestHead)
    /// The whole request, head and body.
    case request(HTTPRequest)
}
