/// One thing wrong with the configuration, said so that an operator can fix it without reading the code:
/// where (file, line, column), which key, which value, and what is allowed.
public struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// `run` refuses to start.
        case error
        /// `run` logs it and goes on; `check-config` still fails on it (unknown keys).
        case warning
    }

    public var severity: Severity
    /// Dotted key such as `tasks.snat.healing_duration`; `nil` for problems with a whole file.
    public var key: String?
    /// The offending value as written.
    public var value: String?
    public var message: String
    public var location: SourceLocation?

    public init(
        _ severity: Severity = .error,
        key: String?,
        value: String? = nil,
        message: String,
        location: SourceLocation? = nil
    ) {
        self.severity = severity
        self.key = key
        self.value = value
        self.message = message
        self.location = location
    }

    /// For example `config/conf.yaml:3:11: interval: 5: must be at least 15s (…)`.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        if let key {
            text += key
            if let value { text += ": \(value.isEmpty ? "\"\"" : value)" }
            text += ": "
        }
        return text + message
    }
}

/// Where a value was written: a file, or a command-line flag.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int?
    public var column: Int?

    public init(source: String, line: Int? = nil, column: Int? = nil) {
        self.source = source
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line else { return source }
        guard let column else { return "\(source):\(line)" }
        return "\(source):\(line):\(column)"
    }
}
