import Kubernetes
import Yams

/// Reads `tasks.snat.healing_pod_tolerations`: a list of tolerations as Kubernetes writes them in a pod spec,
/// checked as the API server would check them, so that a mistake shows at start and not as a 422 on every
/// probe pod.
enum TolerationReader {
    private static let fields = ["key", "operator", "value", "effect", "tolerationSeconds"]

    static func read(_ node: Yams.Node, _ assign: ([Toleration]) -> Void) -> [ConfigurationSchema.Failure] {
        guard case .sequence(let sequence) = node else {
            return [
                .init(
                    value: node.describedValue,
                    allowed: "a list of tolerations (key, operator, value, effect, tolerationSeconds)")
            ]
        }
        var tolerations: [Toleration] = []
        var failures: [ConfigurationSchema.Failure] = []
        for (index, item) in sequence.enumerated() {
            let (toleration, itemFailures) = readOne(item, at: "[\(index)]")
            failures += itemFailures
            if let toleration { tolerations.append(toleration) }
        }
        if failures.isEmpty { assign(tolerations) }
        return failures
    }

    private static func readOne(_ node: Yams.Node, at path: String) -> (Toleration?, [ConfigurationSchema.Failure]) {
        guard case .mapping(let mapping) = node else {
            return (
                nil,
                [.init(value: node.describedValue, allowed: "a toleration mapping", subpath: path, mark: node.mark)]
            )
        }
        var toleration = Toleration()
        var failures: [ConfigurationSchema.Failure] = []
        func fail(_ field: String, _ value: Yams.Node, _ allowed: String) {
            failures.append(
                .init(value: value.describedValue, allowed: allowed, subpath: "\(path).\(field)", mark: value.mark))
        }
        for (keyNode, value) in mapping {
            let field = keyNode.string ?? keyNode.describedValue
            guard !value.isNull else { continue }
            let text = value.scalar?.string
            switch field {
            case "key":
                if let text { toleration.key = text } else { fail(field, value, "a string") }
            case "value":
                if let text { toleration.value = text } else { fail(field, value, "a string") }
            case "operator":
                if let op = text.flatMap(Toleration.Operator.init(rawValue:)) {
                    toleration.operator = op
                } else {
                    fail(field, value, "Exists or Equal")
                }
            case "effect":
                if text == "" { continue }  // Empty means every effect, as in Kubernetes.
                if let effect = text.flatMap(Toleration.Effect.init(rawValue:)) {
                    toleration.effect = effect
                } else {
                    fail(field, value, "NoSchedule, PreferNoSchedule or NoExecute (or empty for all)")
                }
            case "tolerationSeconds":
                if let seconds = text.flatMap({ Int64($0) }) {
                    toleration.tolerationSeconds = seconds
                } else {
                    fail(field, value, "a whole number of seconds")
                }
            default:
                failures.append(
                    .init(
                        value: field, allowed: "a toleration field: \(fields.joined(separator: ", "))",
                        subpath: "\(path).\(field)", mark: keyNode.mark))
            }
        }
        if failures.isEmpty {
            failures += toleration.validationProblems.map {
                .init(value: node.flowDescription, rule: $0, subpath: path, mark: node.mark)
            }
        }
        return (failures.isEmpty ? toleration : nil, failures)
    }
}

extension Yams.Node {
    /// A one-line rendering of a small mapping, for messages: `{key: a, operator: Exists}`.
    var flowDescription: String {
        guard case .mapping(let mapping) = self else { return describedValue }
        return "{" + mapping.map { "\($0.key.describedValue): \($0.value.describedValue)" }.joined(separator: ", ")
            + "}"
    }
}
