/// A compiled pipeline: resolved steps in a deterministic topological order.
/// Plain data, computed before anything runs, so it can be printed, diffed
/// and tested on its own (as SwiftPM separates its build plan from building).
public struct Plan: Sendable {
    public var pipeline: String
    public var description: String?
    /// The pipeline file, as given, and its text as written.
    public var file: String
    public var text: String
    /// The folder that workspace paths in configs are relative to.
    public var baseDirectory: String
    /// Recipe files used, path to text.
    public var recipes: [String: String]
    /// Every param after overrides, as a map.
    public var params: Value
    public var steps: [PlannedStep]
    public var warnings: [Diagnostic]

    /// The step with this instance name.
    public func step(named name: String) -> PlannedStep? {
        index[name].map { steps[$0] }
    }

    var index: [String: Int]

    init(pipeline: String, description: String?, file: String, text: String, baseDirectory: String,
         recipes: [String: String], params: Value, steps: [PlannedStep], warnings: [Diagnostic]) {
        self.pipeline = pipeline
        self.description = description
        self.file = file
        self.text = text
        self.baseDirectory = baseDirectory
        self.recipes = recipes
        self.params = params
        self.steps = steps
        self.warnings = warnings
        var index: [String: Int] = [:]
        for (i, s) in steps.enumerated() { index[s.name] = i }
        self.index = index
    }

    /// The steps that depend on `name`, directly.
    public func dependents(of name: String) -> [String] {
        steps.filter { $0.dependencies.contains(name) }.map(\.name)
    }
}

/// One step of a plan, fully resolved.
public struct PlannedStep: Sendable {
    /// The instance name: the step's name, plus `[k=v,...]` for a matrix instance.
    public var name: String
    /// The name written in the pipeline.
    public var baseName: String
    /// This instance's matrix values, in the order the matrix declares its keys.
    public var matrix: [(key: String, value: Value)]
    public var kind: String
    public var kindVersion: Int
    /// The configuration after defaults, references and params: a `.map`.
    public var config: Value
    public var outputs: [OutputDeclaration]
    /// Instance names of the steps this one must wait for, sorted.
    public var dependencies: [String]
    public var cache: Bool
    public var location: SourceLocation
    public var description: String?
    /// The recipe file the step was built from, if any.
    public var recipe: String?
    /// Names and values of environment variables the config read.
    public var environment: [String: String]
    /// What the step needs to run; not part of its identity.
    public var resources: Resources = Resources()

    /// The canonical encoding of the configuration: the same bytes for the same
    /// meaning, whatever the YAML looked like.
    public var canonicalConfig: String { CanonicalJSON.encode(config) }

    /// Every artifact reference in the config: the data edges of the DAG.
    public var artifactInputs: [ArtifactReference] { config.artifacts }
}
