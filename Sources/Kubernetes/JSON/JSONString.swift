/// Writing JSON text by hand where a whole encoder is not wanted (log lines, the admission answer, and YAML
/// double-quoted scalars, of which JSON strings are a subset).
public enum JSONString {
    /// `text` as a JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped, so the
    /// result is always one line.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
