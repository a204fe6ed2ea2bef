import Foundation
import Kubernetes
import Yams

/// How each kind of value is read from YAML. Every reader refuses what it cannot read with the value and the
/// allowed forms, and never guesses: `tls: 8443` is an error, not `true`.
extension ConfigurationSchema {
    static func bool(_ node: Yams.Node, _ assign: (Bool) -> Void) -> [Failure] {
        guard case .scalar(let scalar) = node else {
            return [Failure(value: node.describedValue, allowed: "true or false")]
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": assign(true)
        case "false", "no", "off": assign(false)
        default: return [Failure(value: scalar.string, allowed: "true or false")]
        }
        return []
    }

    static func int(_ node: Yams.Node, _ allowed: String, _ assign: (Int) -> Void) -> [Failure] {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces))
        else { return [Failure(value: node.describedValue, allowed: allowed)] }
        assign(value)
        return []
    }

    static func number(_ node: Yams.Node, _ assign: (Double) -> Void) -> [Failure] {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
            value.isFinite
        else {
            return [Failure(value: node.describedValue, allowed: "a number of requests per second, like 20 or 0.5")]
        }
        assign(value)
        return []
    }

    static func string(_ node: Yams.Node, _ assign: (String) -> Void) -> [Failure] {
        guard case .scalar(let scalar) = node else { return [Failure(value: node.describedValue, allowed: "a string")] }
        assign(scalar.string)
        return []
    }

    /// A taint as `kubectl taint` writes it (`key=value:Effect`, `key:Effect`), or empty for none.
    static func taint(_ node: Yams.Node, _ assign: (Taint?) -> Void) -> [Failure] {
        guard case .scalar(let scalar) = node else {
            return [Failure(value: node.describedValue, allowed: "a taint like key=value:NoSchedule, or empty")]
        }
        if scalar.string.isEmpty {
            assign(nil)
            return []
        }
        switch Taint.parse(scalar.string) {
        case .success(let taint):
            assign(taint)
            return []
        case .failure(let problem):
            return [Failure(value: scalar.string, rule: "\(problem) (a taint is key=value:Effect or key:Effect)")]
        }
    }

    static func duration(_ node: Yams.Node, _ assign: (Duration) -> Void) -> [Failure] {
        guard case .scalar(let scalar) = node else {
            return [Failure(value: node.describedValue, allowed: ConfigurationDuration.allowedForms)]
        }
        switch ConfigurationDuration.read(scalar.string) {
        case .duration(let value):
            assign(value)
            return []
        case .tooLong:
            return [Failure(value: scalar.string, allowed: ConfigurationDuration.tooLong)]
        case .invalid:
            return [Failure(value: scalar.string, allowed: ConfigurationDuration.allowedForms)]
        }
    }

    /// Bytes as a whole number, or with a binary suffix as Kubernetes quantities write it: `8Mi`, `512Ki`.
    static func byteCount(_ node: Yams.Node, _ assign: (Int) -> Void) -> [Failure] {
        let allowed = "a number of bytes, like 8388608 or 8Mi (suffixes Ki, Mi, Gi)"
        guard case .scalar(let scalar) = node else { return [Failure(value: node.describedValue, allowed: allowed)] }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        let suffixes: [(String, Int)] = [("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30)]
        let (digits, scale) =
            suffixes.first { text.hasSuffix($0.0) }.map { (String(text.dropLast(2)), $0.1) } ?? (text, 1)
        guard let count = Int(digits), case let (bytes, overflow) = count.multipliedReportingOverflow(by: scale),
            !overflow
        else { return [Failure(value: text, allowed: allowed)] }
        assign(bytes)
        return []
    }
}
