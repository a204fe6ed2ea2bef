public import Logging

/// Keeps secrets out of logs: the value of any metadata key that names a token, password, private key or
/// credential is replaced, at any depth. Components should never log such values; this is the second line.
public enum SecretRedaction {
    public static let replacement = "[redacted]"
    private static let secretWords = [
        "token", "password", "passwd", "secret", "authorization", "credential", "private", "bearer",
    ]

    public static func isSecret(key: String) -> Bool {
        let lowered = key.lowercased()
        return secretWords.contains { lowered.contains($0) } || lowered.hasSuffix("key-data")
            || lowered.hasSuffix("key_data")
    }

    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.reduce(into: [:]) { result, entry in
            result[entry.key] = isSecret(key: entry.key) ? .string(replacement) : redact(entry.value)
        }
    }

    private static func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .dictionary(let dictionary): .dictionary(redact(dictionary))
        case .array(let array): .array(array.map(redact))
        default: value
        }
    }
}
