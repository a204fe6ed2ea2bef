/// Kubernetes' rule for label keys and taint keys: an optional DNS-subdomain prefix and `/`, then a name of at
/// most 63 characters made of alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
public enum QualifiedName {
    public static func problem(with text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "must be a name with at most one \"/\" (prefix/name)" }
        let name = parts.count == 2 ? parts[1] : parts[0]
        if parts.count == 2 {
            let prefix = parts[0]
            if prefix.isEmpty || prefix.count > 253 || !isDNSSubdomain(prefix) {
                return "has a prefix that is not a DNS subdomain (lower case alphanumerics, \"-\" and \".\")"
            }
        }
        if name.isEmpty || name.count > 63 {
            return "must have a name part of 1 to 63 characters"
        }
        if !LabelValue.isNameShaped(name) {
            return "must consist of alphanumerics, \"-\", \"_\" or \".\", starting and ending with an alphanumeric"
        }
        return nil
    }

    static func isDNSSubdomain(_ text: Substring) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return first.isASCIILowerAlphanumeric && last.isASCIILowerAlphanumeric
                && label.allSatisfy { $0.isASCIILowerAlphanumeric || $0 == "-" }
        }
    }
}

/// Kubernetes' rule for label values (and toleration values): empty, or at most 63 characters shaped as a name.
public enum LabelValue {
    public static func problem(with text: String) -> String? {
        if text.isEmpty { return nil }
        if text.count > 63 { return "must be at most 63 characters" }
        if !isNameShaped(Substring(text)) {
            return "must consist of alphanumerics, \"-\", \"_\" or \".\", starting and ending with an alphanumeric"
        }
        return nil
    }

    static func isNameShaped(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        return first.isASCIIAlphanumeric && last.isASCIIAlphanumeric
            && text.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

extension Character {
    var isASCIIAlphanumeric: Bool {
        guard let ascii = asciiValue else { return false }
        return (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A)
    }

    var isASCIILowerAlphanumeric: Bool {
        guard let ascii = asciiValue else { return false }
        return (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x61 && ascii <= 0x7A)
    }
}
