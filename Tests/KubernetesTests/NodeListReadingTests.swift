import Kubernetes
import Testing

/// Reading a NodeList page with the skipping reader: items, the continue token, and errors for broken JSON.
@Suite struct NodeListReadingTests {
    static func read(_ text: String) throws(JSONReadError) -> NodeList {
        try JSONReader.read(Array(text.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
            try NodeList(reading: &reader)
        }
    }

    @Test func page_givesItemsContinueTokenAndResourceVersion() throws {
        let list = try Self.read(
            """
            {"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"42","continue":"abc","remainingItemCount":7},
             "items":[{"metadata":{"name":"a","labels":{"kubernetes.io/os":"windows"}},
                       "status":{"conditions":[{"type":"Ready","status":"True"}],"images":[{"names":["x"],"sizeBytes":1}]}},
                      {"metadata":{"name":"b"},"spec":{"taints":[]}}]}
            """)

        #expect(list.items.map(\.name) == ["a", "b"])
        #expect(list.items[0].isWindows && list.items[0].isReady)
        #expect(list.continueToken == "abc")
        #expect(list.resourceVersion == "42")
        #expect(list.hasMore)
    }

    @Test func lastPage_hasNoMore() throws {
        let list = try Self.read(#"{"metadata":{"continue":""},"items":null}"#)

        #expect(list.items.isEmpty)
        #expect(!list.hasMore)
    }

    @Test func truncatedJSON_isAnError() {
        #expect(throws: JSONReadError.self) {
            _ = try Self.read(#"{"items":[{"metadata":{"name":"a"}"#)
        }
    }
}
