/// How log lines are written (`--log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-29T06:24:49.123Z info Healing started node=akswin000003`: for people.
    case text
    /// One JSON object per line: for log collectors.
    case json
}
