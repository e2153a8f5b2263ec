/// A typed configuration value, after the schema has read the YAML.
public indirect enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A file or directory in the workspace, relative to the pipeline's folder;
    /// its content is an input of the step.
    case path(String)
    /// The output of another step: an edge of the DAG.
    case artifact(ArtifactReference)
    case list([Value])
    case map([String: Value])

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        case .path: return "path"
        case .artifact: return "artifact"
        case .list: return "list"
        case .map: return "map"
        }
    }

    public var string: String? {
        switch self {
        case .string(let s), .path(let s): return s
        default: return nil
        }
    }

    public var int: Int? {
        if case .int(let v) = self { return v }
        return nil
    }

    public var double: Double? {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }

    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var list: [Value]? {
        if case .list(let v) = self { return v }
        return nil
    }

    public var map: [String: Value]? {
        if case .map(let v) = self { return v }
        return nil
    }

    public var artifact: ArtifactReference? {
        if case .artifact(let v) = self { return v }
        return nil
    }

    public subscript(key: String) -> Value? {
        map?[key]
    }

    /// Every artifact reference inside the value, in canonical (sorted-key) order.
    public var artifacts: [ArtifactReference] {
        var found: [ArtifactReference] = []
        visit { if case .artifact(let a) = $0 { found.append(a) } }
        return found
    }

    /// Every workspace path inside the value, in canonical order.
    public var paths: [String] {
        var found: [String] = []
        visit { if case .path(let p) = $0 { found.append(p) } }
        return found
    }

    func visit(_ body: (Value) -> Void) {
        body(self)
        switch self {
        case .list(let items): items.forEach { $0.visit(body) }
        case .map(let entries): entries.keys.sorted().forEach { entries[$0]!.visit(body) }
        default: break
        }
    }
}

/// `${step.output}`: the named output of a step instance.
public struct ArtifactReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The step instance, for a matrix step including its values (`dpo[beta=0.1]`).
    public var step: String
    public var output: String

    public init(step: String, output: String) {
        self.step = step
        self.output = output
    }

    public var description: String { "\(step).\(output)" }

    public static func < (a: ArtifactReference, b: ArtifactReference) -> Bool {
        (a.step, a.output) < (b.step, b.output)
    }
}
