import HTTPServer
import Testing

@Suite struct HTTPHeadersTests {
    @Test func subscript_returnsTheFirstValueIgnoringCase() {
        let headers = HTTPHeaders([("Accept", "a"), ("ACCEPT", "b")])

        #expect(headers["accept"] == "a")
        #expect(headers["missing"] == nil)
    }

    @Test func add_keepsOrderAndRepeats() {
        var headers = HTTPHeaders()
        headers.add(name: "A", value: "1")
        headers.add(name: "B", value: "2")
        headers.add(name: "a", value: "3")

        #expect(headers.map(\.name) == ["A", "B", "a"])
        #expect(headers.values(for: "A") == ["1", "3"])
        #expect(headers.count == 3)
    }

    @Test func nonASCIINames_matchOnlyThemselves() {
        let headers = HTTPHeaders([("Ä", "1")])

        #expect(headers["ä"] == nil)
        #expect(headers["Ä"] == "1")
    }

    @Test func equality_ignoresNameCaseButNotValueCase() {
        #expect(HTTPHeaders([("A", "x")]) == HTTPHeaders([("a", "x")]))
        #expect(HTTPHeaders([("A", "x")]) != HTTPHeaders([("A", "X")]))
    }
}
