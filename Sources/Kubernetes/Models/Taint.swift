/// A node taint (`core/v1` Taint), as the API server stores it in `spec.taints`.
public struct Taint: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var key: String
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`; kept as text, so that a taint of an effect a later
    /// Kubernetes adds is still read in its place in the list.
    public var effect: String
    /// Set by the API server for NoExecute taints; kept so that a taint read can be matched exactly.
    public var timeAdded: String?

    public init(key: String, value: String? = nil, effect: String, timeAdded: String? = nil) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }

    /// `key=value:Effect`, or `key:Effect` without a value, as `kubectl taint` writes it.
    public var description: String {
        "\(key)\(value.map { $0.isEmpty ? "" : "=\($0)" } ?? ""):\(effect)"
    }

    /// The same taint, whatever `timeAdded` says: key, value (absent and empty alike) and effect.
    public func matches(_ other: Taint) -> Bool {
        key == other.key && (value ?? "") == (other.value ?? "") && effect == other.effect
    }

    /// Reads `key=value:Effect` or `key:Effect`; the error says what Kubernetes would refuse in it.
    public static func parse(_ text: String) -> Result<Taint, TaintParseError> {
        guard let colon = text.lastIndex(of: ":") else {
            return .failure(TaintParseError("must be key=value:Effect or key:Effect (no effect given)"))
        }
        let head = text[..<colon]
        let effectText = String(text[text.index(after: colon)...])
        guard let effect = Toleration.Effect(rawValue: effectText) else {
            return .failure(
                TaintParseError("effect \"\(effectText)\" must be NoSchedule, PreferNoSchedule or NoExecute"))
        }
        let key: String
        var value: String?
        if let equals = head.firstIndex(of: "=") {
            key = String(head[..<equals])
            value = String(head[head.index(after: equals)...])
        } else {
            key = String(head)
        }
        if key.isEmpty { return .failure(TaintParseError("the key must not be empty")) }
        if let reason = QualifiedName.problem(with: key) {
            return .failure(TaintParseError("key \"\(key)\" \(reason)"))
        }
        if let value, !value.isEmpty, let reason = LabelValue.problem(with: value) {
            return .failure(TaintParseError("value \"\(value)\" \(reason)"))
        }
        return .success(Taint(key: key, value: value?.isEmpty == true ? nil : value, effect: effect.rawValue))
    }

    /// The toleration that lets a pod onto a node with this taint.
    public var toleration: Toleration {
        let effect = Toleration.Effect(rawValue: effect)
        return value.map { Toleration(key: key, operator: .equal, value: $0, effect: effect) }
            ?? Toleration(key: key, operator: .exists, effect: effect)
    }
}

/// Why a taint's text is not one Kubernetes accepts.
public struct TaintParseError: Error, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
