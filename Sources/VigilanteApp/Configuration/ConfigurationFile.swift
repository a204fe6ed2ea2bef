import Yams

/// One configuration file, read into its leaf values by dotted key, each with the line and column it was
/// written at. Reading checks the YAML syntax and the shape (known keys, sections are mappings); the values
/// themselves are checked when they are applied (`ConfigurationSchema`).
struct ConfigurationFile {
    struct Entry {
        var node: Node
        var location: SourceLocation
    }

    let source: String
    private(set) var entries: [String: Entry] = [:]
    private(set) var problems: [ConfigurationProblem] = []

    /// Parses `text`; `source` names the file in every problem.
    init(text: String, source: String) {
        self.source = source
        let root: Node?
        do {
            // The basic resolver tags every scalar as a string: the schema reads each value itself (so `tls: 8443`
            // is an error, not a guess), and Yams' default resolver would compile a set of NSRegularExpressions,
            // pulling ICU's regex engine and data into a process that never needs them.
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            problems.append(Self.syntaxProblem(error, source: source))
            return
        }
        guard let root else { return }  // An empty file sets nothing.
        guard case .mapping(let mapping) = root else {
            problems.append(
                ConfigurationProblem(
                    key: nil,
                    message: "the file must be a YAML mapping of keys (like \"interval: 30\"), not a \(root.kindName)",
                    location: location(of: root)
                ))
            return
        }
        read(mapping, prefix: "")
    }

    private mutating func read(_ mapping: Node.Mapping, prefix: String) {
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.string else {
                problems.append(
                    ConfigurationProblem(
                        key: prefix.isEmpty ? nil : prefix, message: "keys must be strings",
                        location: location(of: keyNode)))
                continue
            }
            let key = prefix.isEmpty ? name : "\(prefix).\(name)"
            guard seen.insert(name).inserted else {
                problems.append(
                    ConfigurationProblem(
                        key: key, message: "is written twice in the same mapping; keep one",
                        location: location(of: keyNode)))
                continue
            }
            if let canonical = ConfigurationSchema.legacyAliases[key] {
                if mapping.contains(where: { $0.key.string == canonical }) {
                    problems.append(
                        ConfigurationProblem(
                            key: key,
                            message: "is the Go original's name of \"\(canonical)\", which is set too; remove \(key)",
                            location: location(of: keyNode)))
                } else {
                    entries[canonical] = Entry(node: value, location: location(of: value))
                }
                continue
            }
            if ConfigurationSchema.key(named: key) != nil {
                entries[key] = Entry(node: value, location: location(of: value))
            } else if ConfigurationSchema.isSection(key) {
                switch value {
                case .mapping(let inner):
                    read(inner, prefix: key)
                case _ where value.isNull:
                    continue  // "tasks:" with nothing under it sets nothing.
                default:
                    problems.append(
                        ConfigurationProblem(
                            key: key, value: value.describedValue,
                            message: "must be a mapping of keys (\(ConfigurationSchema.children(of: key))), "
                                + "not a \(value.kindName)",
                            location: location(of: value)))
                }
            } else {
                problems.append(
                    ConfigurationProblem(
                        .warning, key: key,
                        message: "is not a known key\(ConfigurationSchema.suggestion(for: key))",
                        location: location(of: keyNode)))
            }
        }
    }

    private func location(of node: Node) -> SourceLocation {
        SourceLocation(source: source, line: node.mark?.line, column: node.mark?.column)
    }

    private static func syntaxProblem(_ error: any Error, source: String) -> ConfigurationProblem {
        var problem = "\(error)"
        var mark: Mark?
        switch error {
        case YamlError.scanner(let context, let text, let at, _),
            YamlError.parser(let context, let text, let at, _),
            YamlError.composer(let context, let text, let at, _):
            problem = [context?.text, text].compactMap { $0 }.joined(separator: " ")
            mark = at
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationProblem(
                key: duplicates.joined(separator: ", "),
                message: "is written twice in the same mapping; keep one",
                location: SourceLocation(source: source, line: context.mark.line, column: context.mark.column))
        case YamlError.reader(let text, _, _, _):
            problem = text
        default:
            break
        }
        return ConfigurationProblem(
            key: nil, message: "YAML syntax error: \(problem)",
            location: SourceLocation(source: source, line: mark?.line, column: mark?.column))
    }
}

extension Node {
    var isNull: Bool {
        if case .scalar(let scalar) = self {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    var kindName: String {
        switch self {
        case .scalar: "single value"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }

    /// The value as an operator wrote it, for messages.
    var describedValue: String {
        switch self {
        case .scalar(let scalar): scalar.string
        case .mapping: "(a mapping)"
        case .sequence: "(a list)"
        case .alias: "(an alias)"
        }
    }
}
