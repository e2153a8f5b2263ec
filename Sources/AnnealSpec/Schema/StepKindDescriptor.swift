/// What the language knows of a step kind: its name, version, schema and
/// outputs. The engine's step implementations register one of these each.
public struct StepKindDescriptor: Sendable {
    public var name: String
    /// Bumped whenever the kind's behaviour changes its outputs, so cached
    /// results of the old version are not reused.
    public var version: Int
    public var summary: String
    public var schema: Schema
    public var outputs: OutputRule
    /// Cores a step of this kind uses unless its `resources.cpus` says otherwise;
    /// nil means every core the runner may use (training kinds), 1 by default.
    public var defaultCPUs: Int?

    public init(name: String, version: Int, summary: String, schema: Schema, outputs: OutputRule, defaultCPUs: Int? = 1) {
        self.name = name
        self.version = version
        self.summary = summary
        self.schema = schema
        self.outputs = outputs
        self.defaultCPUs = defaultCPUs
    }
}

/// How a kind's outputs are named.
public enum OutputRule: Sendable {
    /// A fixed set of outputs.
    case fixed([OutputDeclaration])
    /// Declared by the step itself in a map field (the shell kind's `outputs:`):
    /// output name to a path relative to the step's output folder; a path that
    /// ends in `/` is a directory.
    case declared(field: String)
}

/// One output of a step: a file or a directory inside the step's output folder.
public struct OutputDeclaration: Hashable, Sendable {
    public enum Shape: String, Sendable, Hashable {
        case file
        case directory
    }

    public var name: String
    /// Where the step writes it, relative to its output folder.
    public var path: String
    public var shape: Shape
    public var doc: String

    public init(_ name: String, path: String, shape: Shape, doc: String = "") {
        self.name = name
        self.path = path
        self.shape = shape
        self.doc = doc
    }
}

/// The step kinds a compiler knows, by name.
public struct KindCatalog: Sendable {
    public private(set) var kinds: [String: StepKindDescriptor] = [:]

    public init(_ descriptors: [StepKindDescriptor] = []) {
        for d in descriptors { kinds[d.name] = d }
    }

    public mutating func register(_ descriptor: StepKindDescriptor) {
        kinds[descriptor.name] = descriptor
    }

    public subscript(name: String) -> StepKindDescriptor? { kinds[name] }

    public var names: [String] { kinds.keys.sorted() }
}
