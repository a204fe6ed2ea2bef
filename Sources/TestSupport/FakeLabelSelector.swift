import Foundation

/// The label selector terms vigilante sends, matched as the API server matches them: `key=value`, `key==value`
/// and `key in (a,b,…)`, joined by commas (all must hold). Other terms match nothing, so a test notices them.
struct FakeLabelSelector {
    private enum Term {
        case equals(String, String)
        case within(String, Set<String>)
        case unknown
    }

    private let terms: [Term]

    init(_ selector: String?) {
        var terms: [Term] = []
        var current = ""
        var depth = 0
        for character in (selector ?? "") + "," {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                if !current.isEmpty { terms.append(Self.term(current)) }
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        self.terms = terms
    }

    private static func term(_ text: String) -> Term {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let range = trimmed.range(of: " in ("), trimmed.hasSuffix(")") {
            let key = String(trimmed[..<range.lowerBound])
            let values = trimmed[range.upperBound..<trimmed.index(before: trimmed.endIndex)]
            return .within(key, Set(values.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        let parts = trimmed.replacingOccurrences(of: "==", with: "=").split(separator: "=", maxSplits: 1)
        return parts.count == 2 ? .equals(String(parts[0]), String(parts[1])) : .unknown
    }

    func matches(_ labels: [String: String]?) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .equals(let key, let value): labels?[key] == value
            case .within(let key, let values): labels?[key].map(values.contains) ?? false
            case .unknown: false
            }
        }
    }
}
