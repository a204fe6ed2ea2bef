import Foundation
import Kubernetes

/// The window start as stored on the node: RFC 3339 in UTC with whole seconds, `2026-11-29T06:24:49Z`.
enum RFC3339 {
    static func string(_ date: Date) -> String {
        MicroTime(date).rfc3339(fractionDigits: 0)
    }

    /// Reads RFC 3339 times as Kubernetes and people write them: `Z` or an offset, optional fractions.
    static func date(_ text: String) -> Date? {
        let strategy = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
        if let date = try? Date(text, strategy: strategy) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
