import Kubernetes
import Testing

/// Lines of a node watch, as the API server writes them.
@Suite struct WatchLineTests {
    private func decode(_ text: String) throws -> WatchLine { try WatchLine.decode(Array(text.utf8)) }

    @Test func addedModifiedDeleted_carryTheNode() throws {
        let node =
            #"{"kind":"Node","metadata":{"name":"akswin1","resourceVersion":"7","labels":{"kubernetes.io/os":"windows"}}}"#
        for (type, expected) in [("ADDED", "added"), ("MODIFIED", "modified"), ("DELETED", "deleted")] {
            let line = try decode(#"{"type":"\#(type)","object":\#(node)}"#)
            guard case .event(let event) = line else {
                Issue.record("\(type): \(line)")
                continue
            }
            switch event {
            case .added(let n), .modified(let n), .deleted(let n):
                #expect(n.name == "akswin1")
                #expect(n.metadata.resourceVersion == "7")
                #expect("\(event)".hasPrefix(expected))
            case .bookmark:
                Issue.record("\(type) read as a bookmark")
            }
        }
    }

    @Test func objectBeforeType_isReadToo() throws {
        #expect(
            try decode(#"{"object":{"metadata":{"resourceVersion":"9"}},"type":"BOOKMARK"}"#)
                == .event(.bookmark(resourceVersion: "9")))
    }

    @Test func errorEvent_carriesTheStatus() throws {
        let line = try decode(
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#
        )
        #expect(
            line
                == .error(
                    Status(status: "Failure", message: "too old resource version: 1 (5)", reason: "Expired", code: 410))
        )
    }

    @Test func unknownTypesAndMalformedLines_areRefused() {
        #expect(throws: JSONReadError.self) { try decode(#"{"type":"SURPRISE","object":{}}"#) }
        #expect(throws: JSONReadError.self) { try decode(#"{"type":"ADDED"}"#) }
        #expect(throws: JSONReadError.self) { try decode(#"{"type":"ADDED","object":{"metadata":"#) }
    }

    @Test func splitter_joinsPiecesIntoLines_andRefusesAnEndlessLine() {
        var splitter = WatchLineSplitter(maxLineBytes: 8)
        #expect(splitter.append(Array("abc".utf8)) == [])
        #expect(splitter.append(Array("de\n\nfg\nh".utf8)) == [Array("abcde".utf8), Array("fg".utf8)])
        #expect(splitter.append(Array("12345678".utf8)) == nil, "9 bytes without a newline")
    }
}
