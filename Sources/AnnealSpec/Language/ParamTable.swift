/// The pipeline's params as YAML nodes, with overrides applied and every use
/// tracked. A reference to a param reads the param's node under the type of
/// the field it lands in, so params need no type declarations of their own.
struct ParamTable {
    private(set) var root: YAMLNode?
    /// Dotted paths read by references; a path covers everything below it.
    private(set) var used: Set<String> = []
    /// Every proper prefix of a used path, so "is something below this used"
    /// is one set lookup rather than a scan of `used`.
    private var usedAncestors: Set<String> = []
    /// Every node reachable through mappings, by its path: a generated file
    /// can hold a million params, and finding each reference's node by
    /// scanning its mapping made compiling quadratic. Built on first use and
    /// dropped when an override replaces the tree (a class, so lookups stay
    /// non-mutating).
    private var index = NodeIndex()

    private final class NodeIndex {
        var nodes: [[String]: YAMLNode]?
    }

    init(_ root: YAMLNode?) {
        self.root = root?.isNull == true ? nil : root
    }

    /// The node at `path`, or nil.
    func node(at path: [String]) -> YAMLNode? {
        if path.isEmpty { return root }
        if index.nodes == nil {
            var nodes: [[String]: YAMLNode] = [:]
            func add(_ node: YAMLNode, _ path: [String]) {
                for e in node.mapping ?? [] where nodes[path + [e.key]] == nil {
                    // The first of duplicate keys wins, as a mapping lookup does.
                    nodes[path + [e.key]] = e.value
                    add(e.value, path + [e.key])
                }
            }
            if let root { add(root, []) }
            index.nodes = nodes
        }
        return index.nodes?[path]
    }

    /// The names that exist beside the last component of `path`, for suggestions.
    func siblings(of path: [String]) -> [String] {
        let parent = path.count > 1 ? node(at: Array(path.dropLast())) : root
        return parent?.mapping?.map(\.key) ?? []
    }

    mutating func markUsed(_ path: [String]) {
        used.insert(path.joined(separator: "."))
        for n in path.indices.dropLast() { usedAncestors.insert(path[...n].joined(separator: ".")) }
    }

    /// Every param leaf (or empty map/list) with its key location.
    func leaves() -> [(path: String, location: SourceLocation)] {
        var out: [(String, SourceLocation)] = []
        func walk(_ node: YAMLNode, _ path: [String], _ location: SourceLocation) {
            if let entries = node.mapping, !entries.isEmpty {
                for e in entries { walk(e.value, path + [e.key], e.keyLocation) }
            } else {
                out.append((path.joined(separator: "."), location))
            }
        }
        if let entries = root?.mapping {
            for e in entries { walk(e.value, [e.key], e.keyLocation) }
        }
        return out
    }

    /// True if a reference read `path` or a prefix of it or something below it.
    func isUsed(_ path: String) -> Bool {
        if used.contains(path) { return true }
        var prefix = path
        while let dot = prefix.lastIndex(of: ".") {
            prefix = String(prefix[..<dot])
            if used.contains(prefix) { return true }
        }
        return usedAncestors.contains(path)
    }

    /// The whole table as an untyped `Value`, for the plan and the run record.
    func value() -> Value {
        guard let root else { return .map([:]) }
        return ParamTable.untyped(root)
    }

    static func untyped(_ node: YAMLNode) -> Value {
        switch node.content {
        case .scalar(let s): return Scalars.untyped(s)
        case .sequence(let items): return .list(items.map(untyped))
        case .mapping(let entries):
            var m: [String: Value] = [:]
            for e in entries { m[e.key] = untyped(e.value) }
            return .map(m)
        }
    }

    /// Replaces the param at `path` with `replacement`, which must have the same
    /// type as the value it replaces. Returns a diagnostic on failure.
    mutating func override(_ path: [String], with replacement: YAMLNode, origin: String) -> Diagnostic? {
        let dotted = path.joined(separator: ".")
        guard let current = node(at: path) else {
            let suggestion = Suggestion.didYouMean(path.last ?? "", in: siblings(of: path))
            var known = leaves().map(\.path)
            known.sort()
            let hint = known.isEmpty ? "this pipeline declares no params; add them under 'params:'"
                : "the params are: \(known.prefix(12).joined(separator: ", "))\(known.count > 12 ? ", ..." : "")"
            return .error(replacement.location, "\(origin) sets param '\(dotted)', which the pipeline does not declare\(suggestion)", hint: hint)
        }
        if let problem = ParamTable.typeMismatch(current: current, replacement: replacement) {
            return .error(replacement.location, "\(origin) gives param '\(dotted)' \(problem)",
                          hint: "declared at \(current.location)")
        }
        index = NodeIndex()
        root = ParamTable.replacing(root!, path[...], with: replacement.scalar?.style == .plain && current.scalar?.style == .quoted
                                    ? YAMLNode(.scalar(YAMLScalar(replacement.scalar!.value, style: .quoted)), at: replacement.location)
                                    : replacement)
        return nil
    }

    /// Why `replacement` cannot stand for `current`, or nil when it can.
    static func typeMismatch(current: YAMLNode, replacement: YAMLNode) -> String? {
        switch (current.content, replacement.content) {
        case (.scalar(let c), .scalar(let r)):
            let want = Scalars.untyped(c), got = Scalars.untyped(r)
            switch (want, got) {
            case (.int, .int), (.float, .float), (.float, .int), (.bool, .bool), (.null, _): return nil
            case (.string, _): return nil
            default:
                return "'\(r.value)', but it is \(article(want.typeName)) (its value is '\(c.value)')"
            }
        case (.sequence, .sequence), (.mapping, .mapping): return nil
        default:
            return "\(replacement.shapeName), but it is \(current.shapeName)"
        }
    }

    static func article(_ type: String) -> String {
        ["int": "an int", "float": "a float", "bool": "a bool", "string": "a string"][type] ?? "a \(type)"
    }

    static func replacing(_ node: YAMLNode, _ path: ArraySlice<String>, with replacement: YAMLNode) -> YAMLNode {
        guard let head = path.first, var entries = node.mapping,
              let i = entries.firstIndex(where: { $0.key == head }) else { return replacement }
        entries[i].value = replacing(entries[i].value, path.dropFirst(), with: replacement)
        return YAMLNode(.mapping(entries), at: node.location)
    }
}
