import Foundation
import Kubernetes
import TestSupport
import Testing

@Suite struct JSONReaderTests {
    private func read<T>(
        _ text: String, _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        try JSONReader.read(Array(text.utf8), body)
    }

    private func skips(_ text: String) -> JSONReadError? {
        do throws(JSONReadError) {
            try read(text) { (reader: inout JSONReader) throws(JSONReadError) in try reader.skipValue() }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        #""plain""#: "plain", #""a\"b\\c\/d""#: "a\"b\\c/d", #""tab\tnl\n""#: "tab\tnl\n",
        #""\u00e9\u4e2d""#: "é中", #""\ud83d\ude00""#: "😀", #""\ud800x""#: "\u{FFFD}x", #""ünï""#: "ünï",
    ])
    func strings_areUnescaped(json: String, expected: String) throws {
        #expect(
            try read(json) { (reader: inout JSONReader) throws(JSONReadError) in try reader.readString() } == expected)
    }

    @Test(arguments: [
        "0", "-0", "12.5e-3", "1E+9", "true", "false", "null", "[]", "{}", #"{"a":[1,{"b":null}],"c":"d"}"#,
        " [ 1 , 2 ] ",
    ])
    func validValues_areSkipped(json: String) {
        #expect(skips(json) == nil)
    }

    @Test(arguments: [
        ("01", "unexpected data after the document at byte 1"), ("1.", "invalid number at byte 2"),
        ("-", "invalid number at byte 1"), ("tru", "unexpected end of data at byte 0"),
        ("nul", "unexpected end of data at byte 0"),
        (#"{"a" 1}"#, "expected ':' after an object key at byte 5"),
        (#"{"a":1,}"#, "expected a string as object key at byte 7"),
        ("[1 2]", "expected ',' or ']' in an array at byte 3"),
        ("\"a\u{01}\"", "control character in a string at byte 2"),
        (#""abc"#, "unterminated string at byte 4"), (#""\x""#, "invalid escape at byte 2"),
        ("", "unexpected end of data at byte 0"),
        ("[1] x", "unexpected data after the document at byte 4"), ("@", "unexpected character at byte 0"),
    ])
    func malformedJSON_isRefusedWithTheByteOffset(json: String, expected: String) {
        #expect(skips(json)?.description == expected)
    }

    @Test func deepNesting_isRefused() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(skips(deep)?.message == "nested more than 200 levels deep")
    }

    @Test func node_fromKubernetesTestdata_keepsNameLabelsAnnotationsAndConditions() throws {
        let data = [UInt8](try Fixtures.data("k8s-testdata/core.v1.Node.json"))
        let node = try JSONReader.read(data) { (reader: inout JSONReader) throws(JSONReadError) in
            try Node(reading: &reader)
        }
        #expect(node.name == "nameValue")
        #expect(node.metadata.labels == ["labelsKey": "labelsValue"])
        #expect(node.metadata.annotations == ["annotationsKey": "annotationsValue"])
        #expect(node.status?.conditions == [Node.Condition(type: "typeValue", status: "statusValue")])
    }

    @Test func realAKSNodeList_itemsDecode() throws {
        let data = [UInt8](try Fixtures.data("real/aks-linux-nodelist-ubuntu1804-2021.json"))
        var nodes: [Node] = []
        try JSONReader.read(data) { (reader: inout JSONReader) throws(JSONReadError) in
            try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                guard key == "items" else { return try reader.skipValue() }
                try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in
                    nodes.append(try Node(reading: &reader))
                }
            }
        }
        #expect(nodes.count == 1)
        #expect(nodes[0].name == "aks-nodepool1-24816391-vmss000000")
        #expect(nodes[0].isReady)
        #expect(!nodes[0].isWindows)
        #expect(nodes[0].status?.conditions?.count == 18)
    }
}

@Suite struct JSONReaderNullTests {
    @Test func nullMetadataStatusAndConditions_readAsAbsent() throws {
        for json in [#"{"metadata":null,"status":null}"#, #"{"metadata":{"name":"n"},"status":{"conditions":null}}"#] {
            let node = try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
                try Node(reading: &reader)
            }
            #expect(!node.isReady)
        }
    }
}
