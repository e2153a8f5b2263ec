/// The type of a step field. The schema, not YAML, decides how text is read.
public indirect enum FieldType: Sendable {
    case int(min: Int? = nil, max: Int? = nil)
    case float(min: Double? = nil, max: Double? = nil)
    case string
    case bool
    /// A file or directory the step reads: a workspace path (hashed as an
    /// input) or a reference to another step's output.
    case file
    /// A path or a glob pattern in the workspace; every match is an input.
    case files
    /// Only a reference to another step's output.
    case artifact
    case enumeration([String])
    case list(FieldType)
    /// String keys to values of one type.
    case map(FieldType)
    /// A nested structure with its own fields.
    case record(Schema)
    /// Text in which `${ns.name}` for the given namespaces is kept for the step
    /// to fill in at run time (the shell command's `${inputs.x}`), and checked
    /// against the keys of the sibling field of that name.
    case template(runtimeNamespaces: [String])
    /// Either of two types, tried in order (for example a number or a list).
    case either(FieldType, FieldType)
    /// Any YAML value, typed by its own text as params are (for free-form metadata).
    case any

    public var name: String {
        switch self {
        case .int(let lo, let hi): return "int" + FieldType.range(lo.map(String.init), hi.map(String.init))
        case .float(let lo, let hi): return "float" + FieldType.range(lo.map { "\($0)" }, hi.map { "\($0)" })
        case .string: return "string"
        case .bool: return "bool"
        case .file: return "file"
        case .files: return "files"
        case .artifact: return "artifact"
        case .enumeration(let cases): return cases.joined(separator: "|")
        case .list(let element): return "list<\(element.name)>"
        case .map(let element): return "map<\(element.name)>"
        case .record: return "record"
        case .template: return "string"
        case .either(let a, let b): return "\(a.name) or \(b.name)"
        case .any: return "any"
        }
    }

    private static func range(_ lo: String?, _ hi: String?) -> String {
        switch (lo, hi) {
        case (nil, nil): return ""
        case (let lo?, nil): return " >= \(lo)"
        case (nil, let hi?): return " <= \(hi)"
        case (let lo?, let hi?): return " in \(lo)...\(hi)"
        }
    }
}
