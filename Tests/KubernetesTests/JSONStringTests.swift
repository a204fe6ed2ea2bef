import Foundation
import Kubernetes
import Testing

/// Hand-written JSON string literals: what must be escaped is, everything else is copied as it is.
@Suite struct JSONStringTests {
    @Test func quotes_plainText_unchanged() {
        #expect(JSONString.quoted("") == "\"\"")
        #expect(JSONString.quoted("admission.k8s.io/v1") == "\"admission.k8s.io/v1\"")
    }

    @Test func escapes_quotesBackslashesAndControlCharacters() {
        #expect(JSONString.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONString.quoted("line\none\r\ttab") == #""line\none\r\ttab""#)
        #expect(JSONString.quoted("\u{0}\u{1F}\u{7F}") == #""\u0000\u001f\u007f""#)
    }

    @Test func keepsMultiByteCharacters() {
        #expect(JSONString.quoted("nœud-ü-🪟") == "\"nœud-ü-🪟\"")
    }

    @Test func appendQuoted_addsToWhatIsThere_andRoundTripsThroughFoundation() throws {
        let texts = ["", "plain", "quote\" and \\ and \u{8}\u{C}", "é\u{1}🪟\"", String(repeating: "x\n", count: 40)]
        for text in texts {
            var out = Array("[".utf8)
            JSONString.appendQuoted(text, to: &out)
            out.append(UInt8(ascii: "]"))
            let decoded = try JSONSerialization.jsonObject(with: Data(out)) as? [String]
            #expect(decoded == [text])
        }
    }
}
