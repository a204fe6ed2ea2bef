/// A value given on the command line for a configuration key. Flags go through the same readers and checks as
/// file values, so `--interval 5` and `interval: 5` get the same message.
public struct ConfigurationOverride: Sendable, Equatable {
    public var key: String
    public var value: String
    /// The flag as typed, for messages: `--interval`.
    public var flag: String

    public init(key: String, value: String, flag: String) {
        self.key = key
        self.value = value
        self.flag = flag
    }
}
