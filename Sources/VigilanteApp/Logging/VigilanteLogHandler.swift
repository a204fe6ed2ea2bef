public import Logging

/// The log handler of `vigilante`: one line per event, in text or JSON, to an output (standard error in
/// production, memory in tests).
///
/// Metadata precedence, lowest first: the handler's metadata (`logger[metadataKey:]`), the metadata provider's,
/// then the metadata passed with the event. Values of keys that name a secret (`SecretRedaction`) are never
/// written, whichever of the three they come from.
public struct VigilanteLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let format: LogFormat
    private let output: LogOutput
    private let clock: @Sendable () -> LogTimestamp

    public init(
        label: String,
        format: LogFormat,
        level: Logger.Level = .info,
        output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> LogTimestamp = LogTimestamp.now
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let redacted = SecretRedaction.redact(merged)
        let line: String =
            switch format {
            case .text:
                LogLineWriter.text(
                    time: clock(), level: event.level, label: label, message: event.message.description,
                    metadata: redacted)
            case .json:
                LogLineWriter.json(
                    time: clock(), level: event.level, label: label, message: event.message.description,
                    metadata: redacted)
            }
        output.write(line + "\n")
    }
}
