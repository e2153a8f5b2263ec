/// Param values given on the command line (`-p model.width=128`) or in a
/// params file (`--params FILE.yaml`), applied over the pipeline's params.
public struct ParamOverrides: Sendable {
    /// Each override: the param path, the new value as YAML, where it came from.
    public var entries: [(path: [String], node: YAMLNode, origin: String)] = []

    public init() {}

    /// Parses `key.path=value`; the value is read as YAML, so lists work
    /// (`-p betas=[0.1,0.2]`) and its type is checked against the param's.
    public mutating func add(assignment: String) throws {
        let location = SourceLocation(file: "-p \(assignment)", line: 1, column: 1)
        guard let eq = assignment.firstIndex(of: "=") else {
            throw DiagnosticError([.error(location, "a param override is written NAME=VALUE",
                                          hint: "for example -p model.width=128")])
        }
        let key = String(assignment[..<eq])
        let text = String(assignment[assignment.index(after: eq)...])
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw DiagnosticError([.error(location, "'\(key)' is not a param name", hint: "for example -p model.width=128")])
        }
        var node: YAMLNode
        if text.hasPrefix("[") || text.hasPrefix("{") {
            guard let parsed = try YAMLParser().parse(text, file: "-p \(key)") else {
                throw DiagnosticError([.error(location, "no value after '='")])
            }
            node = parsed
        } else {
            node = YAMLNode(.scalar(YAMLScalar(text, style: .plain)), at: location)
        }
        node.location = location
        entries.append((path, node, "-p \(key)"))
    }

    /// Adds every leaf of a params file: a YAML mapping shaped like `params:`.
    public mutating func add(file path: String) throws {
        let text = try PipelineLoader.readText(path, what: "params", at: nil)
        guard let root = try YAMLParser().parse(text, file: path) else { return }
        guard let entries = root.mapping else {
            throw DiagnosticError([.error(root.location, "a params file must be a mapping of param names to values, not \(root.shapeName)")])
        }
        func walk(_ entries: [YAMLEntry], _ prefix: [String]) {
            for e in entries {
                if let inner = e.value.mapping, !inner.isEmpty {
                    walk(inner, prefix + [e.key])
                } else {
                    self.entries.append((prefix + [e.key], e.value, "\(path)"))
                }
            }
        }
        walk(entries, [])
    }
}
