/// Writing JSON text by hand where a whole encoder is not wanted (log lines, the admission answer, and YAML
/// double-quoted scalars, of which JSON strings are a subset).
public enum JSONString {
    /// `text` as a JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped, so the
    /// result is always one line.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal to `out`. Works on the UTF-8 bytes: every byte of a multi-byte
    /// character is 0x80 or above, so only ASCII bytes ever need escaping, and a plain run is copied whole.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + text.utf8.count + 2)
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var plainStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x7F || byte == 0x22 || byte == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<index]))
                appendEscape(of: byte, to: &out)
                plainStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
        default:
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}
