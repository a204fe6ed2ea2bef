import Kubernetes
import Logging

/// Renders one log event as a line (without the newline).
enum LogLineWriter {
    /// `time level message key=value key="two words"`; metadata sorted by key so lines are stable.
    static func text(
        time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = "\(time) \(level.rawValue) \(singleLine(message))"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(textValue(value))"
        }
        return line
    }

    /// `{"time":…,"level":…,"logger":…,"message":…,"metadata":{…}}`.
    static func json(
        time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line =
            "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"logger\":\(JSONString.quoted(label)),\"message\":\(JSONString.quoted(message))"
        if !metadata.isEmpty { line += ",\"metadata\":\(jsonValue(.dictionary(metadata)))" }
        return line + "}"
    }

    private static func textValue(_ value: Logger.Metadata.Value) -> String {
        let text: String =
            switch value {
            case .string(let string): string
            case .stringConvertible(let convertible): convertible.description
            case .array, .dictionary: value.description
            }
        let needsQuotes =
            text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" }
            || text.unicodeScalars.contains(where: isControl)
        return needsQuotes ? quoted(text) : text
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): JSONString.quoted(string)
        case .stringConvertible(let convertible): JSONString.quoted(convertible.description)
        case .array(let array): "[" + array.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.sorted { $0.key < $1.key }.map { "\(JSONString.quoted($0.key)):\(jsonValue($0.value))" }
                .joined(
                    separator: ",") + "}"
        }
    }

    /// The message as it is, unless it holds a control character: then escaped as inside a quoted value.
    private static func singleLine(_ text: String) -> String {
        text.unicodeScalars.contains(where: isControl) ? String(quoted(text).dropFirst().dropLast()) : text
    }

    /// Characters a terminal acts on rather than shows (C0 and C1 controls: ESC starts an escape sequence, BEL
    /// rings, BS erases, CR rewrites the line; U+009B is CSI on some terminals), and line separators. Node names,
    /// messages and errors carry text from the API server and from clients; the JSON format escapes them too.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// `text` in double quotes with `"`, `\\` and every control character escaped, JSON style (`\u001b`).
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
