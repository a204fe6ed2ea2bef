import Foundation
import Kubernetes

/// Durations in configuration files and flags: a number of seconds (as the Go original's `interval: 30`), or a
/// string of one or more decimal numbers with a unit, Go style: `100us`, `500ms`, `30s`, `30m`, `1h`, `1m30s`.
enum ConfigurationDuration {
    static let allowedForms =
        "a number of seconds (30) or a duration with a unit: us, ms, s, m, h (500ms, 30s, 30m, 1h30m)"

    /// No configured duration is longer: each key has its own, smaller ceiling (`ConfigurationValidator`); this
    /// one keeps every sum and product of configured durations, and every date they lead to, far from overflow.
    static let maximum: Duration = .seconds(8760 * 3600)
    static let tooLong = "at most \(maximum.shortText) (a year)"

    enum Reading: Equatable {
        case duration(Duration)
        case tooLong
        case invalid
    }

    /// Reads a duration in one pass; one longer than `maximum` is `.tooLong`, however many digits it has (digits
    /// and units that only overflow are a value too long, not a form not understood).
    static func read(_ text: String) -> Reading {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .invalid }
        if trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let seconds = Int64(trimmed) else { return .tooLong }
            return within(.seconds(seconds))
        }
        var microseconds = 0.0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let number = rest.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), let scale = unitInSeconds(unit) else { return .invalid }
            microseconds += (value * scale * 1_000_000).rounded()
        }
        // Beyond a year by far: no Int64 conversion is tried on it.
        guard microseconds < 1e15 else { return .tooLong }
        return within(.microseconds(Int64(microseconds)))
    }

    private static func within(_ duration: Duration) -> Reading {
        duration <= maximum ? .duration(duration) : .tooLong
    }

    private static func unitInSeconds(_ unit: Substring) -> Double? {
        switch unit {
        case "us", "µs": 0.000_001
        case "ms": 0.001
        case "s": 1
        case "m": 60
        case "h": 3600
        default: nil
        }
    }
}
