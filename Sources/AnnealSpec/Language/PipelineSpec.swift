/// A pipeline as written: the parsed YAML, checked for shape but not yet
/// resolved against step kinds, params or references.
public struct PipelineSpec: Sendable {
    public var name: String
    public var description: String?
    /// The pipeline file as given (used in messages) and its text (kept for lineage).
    public var file: String
    public var text: String
    /// The folder relative paths in the pipeline are resolved against.
    public var baseDirectory: String
    public var params: YAMLNode?
    public var steps: [StepSpec]
    /// Every recipe file the steps use, by the path given in messages.
    public var recipes: [String: RecipeSpec]
    /// Problems found while loading that do not stop the compiler from
    /// checking the rest, so one pass reports them all.
    public var diagnostics: [Diagnostic] = []
    /// Steps too broken to compile; references to them are not reported again.
    public var brokenSteps: [String] = []
}

/// One entry of `steps:` as written.
public struct StepSpec: Sendable {
    public var name: String
    public var location: SourceLocation
    /// The kind, given directly or by the recipe.
    public var kind: String?
    public var kindLocation: SourceLocation?
    /// The recipe's file, if the step uses one.
    public var recipe: String?
    public var with: YAMLNode?
    public var needs: [(name: String, location: SourceLocation)]
    public var matrix: YAMLNode?
    public var cache: Bool
    public var description: String?
    public var resources: Resources = Resources()
}

/// A reusable step template: a kind and default `with:` values.
public struct RecipeSpec: Sendable {
    public var file: String
    public var text: String
    public var kind: String
    public var kindLocation: SourceLocation
    public var description: String?
    public var with: YAMLNode?
}
