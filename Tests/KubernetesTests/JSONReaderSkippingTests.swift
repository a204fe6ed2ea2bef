import Foundation
import Kubernetes
import Testing

/// Skipping a subtree checks its grammar as strictly as reading it: what the skipper accepts and refuses is
/// compared with Foundation's JSON parser on thousands of small mutations of a Kubernetes-like document.
@Suite struct JSONReaderSkippingTests {
    static let document = #"""
        {"metadata":{"name":"akswin000001","labels":{"kubernetes.io/os":"windows","a":""},"managedFields":[
        {"manager":"kubelet","fieldsV1":{"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{}}}}},
        "time":"2024-01-01T00:00:00Z"}]},"spec":{"taints":[],"unschedulable":false,"podCIDR":null},
        "status":{"capacity":{"cpu":"4"},"images":[{"names":["mcr.microsoft.com/a@sha256:0f"],"sizeBytes":-1.5e+3}],
        "nums":[0,-0,12.25,1E9,[[],[{}]]],"escaped":"tab\t\u00e9\\ \/ \" end"}}
        """#

    private func readerAccepts(_ bytes: [UInt8]) -> Bool {
        do throws(JSONReadError) {
            try JSONReader.read(bytes) { (reader: inout JSONReader) throws(JSONReadError) in try reader.skipValue() }
            return true
        } catch {
            return false
        }
    }

    private func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil
    }

    /// Foundation's parser accepts a comma before `]` or `}`; RFC 8259 (and this reader) does not.
    private static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        let significant = bytes.filter { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        return zip(significant, significant.dropFirst()).contains { pair in
            pair.0 == UInt8(ascii: ",") && (pair.1 == UInt8(ascii: "]") || pair.1 == UInt8(ascii: "}"))
        }
    }

    @Test func trailingCommasAreRefused() {
        #expect(!readerAccepts(Array(#"{"a":[1,2,]}"#.utf8)))
        #expect(!readerAccepts(Array(#"{"a":{"b":1,}}"#.utf8)))
    }

    @Test func theDocumentItselfIsSkipped() {
        #expect(readerAccepts(Array(Self.document.utf8)))
    }

    @Test func mutationsAreAcceptedAndRefusedAsFoundationDoes() {
        let original = Array(Self.document.utf8)
        let alphabet = Array(#"{}[]:,"\ -0123456789.eEtrufalsn/x"#.utf8) + [0x01, 0x0A]
        var random = SplitMix64(seed: 20_261_129)
        var disagreements: [String] = []
        for _ in 0..<4000 {
            var bytes = original
            for _ in 0...Int(random.next() % 2) {
                let position = Int(random.next() % UInt64(bytes.count))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: bytes.remove(at: position)
                }
            }
            if readerAccepts(bytes) != foundationAccepts(bytes) && !Self.hasTrailingComma(bytes) {
                disagreements.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
    }

    /// The string scanner looks at eight bytes at a time: a quote, an escape or a control byte is found at every
    /// position of a word, also with other special bytes after it in the same word.
    @Test(arguments: 0..<20)
    func specialBytesAreFoundAtEveryPosition(length: Int) throws {
        let text = String(repeating: "é", count: length / 2) + String(repeating: "k", count: length % 2)
        let read = { (json: String) throws(JSONReadError) -> String in
            try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
                try reader.readString()
            }
        }
        #expect(try read("\"\(text)\"") == text)
        #expect(try read("\"\(text)\\n\"") == text + "\n")
        #expect(try read("\"\(text)\\\"\\\\\"") == text + "\"\\")
        #expect(throws: JSONReadError(message: "control character in a string", offset: 1 + text.utf8.count)) {
            try read("\"\(text)\u{01}\"\"")
        }
    }

    @Test(arguments: [
        (#"{"a":{"b":[1,{"c" 2}]}}"#, "expected ':' after an object key at byte 18"),
        (#"{"a":[[1,2],[3,]]}"#, "unexpected character at byte 15"),
        (#"{"a":{"b":1,}}"#, "expected a string as object key at byte 12"),
        (#"{"a":{"b":1]}"#, "expected ',' or '}' in an object at byte 11"),
        (#"{"a":[{"b":1}}"#, "expected ',' or ']' in an array at byte 13"),
        (#"{"a":[1,{"b":"#, "unexpected end of data at byte 13"),
        (#"{"a":{"b":[tru]}}"#, "invalid literal at byte 11"),
    ])
    func nestedErrorsNameTheByte(json: String, expected: String) {
        do throws(JSONReadError) {
            try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
                try reader.skipValue()
            }
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description == expected)
        }
    }
}

/// A small deterministic generator, so a failure is reproducible.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
