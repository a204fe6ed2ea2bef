extension Toleration {
    /// What the API server would refuse in this toleration (`ValidateTolerations` in the Kubernetes API
    /// validation), one sentence each; empty when it is valid. Checked at start so that a bad toleration is a
    /// configuration error, not a 422 on every probe pod.
    public var validationProblems: [String] {
        var problems: [String] = []
        let key = self.key ?? ""
        let value = self.value ?? ""
        let effectiveOperator = self.operator ?? .equal

        if !key.isEmpty, let reason = QualifiedName.problem(with: key) {
            problems.append("key \"\(key)\" \(reason)")
        }
        if key.isEmpty && effectiveOperator != .exists {
            problems.append(
                "operator must be Exists when key is empty (an empty key with Exists tolerates every taint)")
        }
        if tolerationSeconds != nil && effect != .noExecute {
            problems.append("tolerationSeconds is only allowed with effect NoExecute")
        }
        switch effectiveOperator {
        case .exists where !value.isEmpty:
            problems.append("value must be empty when operator is Exists")
        case .equal where !value.isEmpty:
            if let reason = LabelValue.problem(with: value) {
                problems.append("value \"\(value)\" \(reason)")
            }
        default:
            break
        }
        return problems
    }
}
