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

    /// Reads a duration; one longer than `maximum` is `.tooLong` (however many digits it has).
    static func read(_ text: String) -> Reading {
        guard let value = parse(text) else {
            // Digits and units that only overflowed are a value too long, not a form not understood.
            return isWellFormed(text) ? .tooLong : .invalid
        }
        return value <= maximum ? .duration(value) : .tooLong
    }

    /// Whole seconds, or numbers each followed by a known unit: what `parse` reads when nothing overflows.
    private static func isWellFormed(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty && trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let number = rest.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard Double(number) != nil, unitInSeconds(unit) != nil else { return false }
        }
        return !trimmed.isEmpty
    }

    private static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed), seconds >= 0 { return .seconds(seconds) }
        guard !trimmed.isEmpty else { return nil }

        var total = Duration.zero
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), value >= 0, let scale = unitInSeconds(unit) else { return nil }
            let microseconds = (value * scale * 1_000_000).rounded()
            guard microseconds < 1e15 else { return nil }
            total += .microseconds(Int64(microseconds))
        }
        return total
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
