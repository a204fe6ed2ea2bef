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
            "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"logger\":\(jsonString(label)),\"message\":\(jsonString(message))"
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
        let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? jsonString(text) : text
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): jsonString(string)
        case .stringConvertible(let convertible): jsonString(convertible.description)
        case .array(let array): "[" + array.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonValue($0.value))" }.joined(
                    separator: ",") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 §7); also used to quote text values, so one line stays one line.
    static func jsonString(_ text: String) -> String {
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

    private static func singleLine(_ text: String) -> String {
        text.contains(where: \.isNewline) ? String(jsonString(text).dropFirst().dropLast()) : text
    }
}
