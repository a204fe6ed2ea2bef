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
        let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? JSONString.quoted(text) : text
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

    private static func singleLine(_ text: String) -> String {
        text.contains(where: \.isNewline) ? String(JSONString.quoted(text).dropFirst().dropLast()) : text
    }
}
