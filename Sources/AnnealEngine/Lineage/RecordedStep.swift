import AnnealSpec

/// One step of a recorded run: what the plan said (kind, config, inputs, outputs)
/// joined with what happened to it (the step's part of the run record).
public struct RecordedStep: Sendable {
    /// The instance name (`dpo[beta=0.1]`).
    public var name: String
    /// The step kind and its version, as the plan had them.
    public var kind: String
    public var kindVersion: Int
    /// The recipe file it was built from, as the plan names it.
    public var recipe: String?
    /// The configuration after defaults, with `$path` and `$artifact` values.
    public var config: Value
    /// The steps it waited for.
    public var dependencies: [String]
    /// Declared outputs: name to (path inside the output folder, file or folder).
    public var declaredOutputs: [String: (path: String, shape: String)]
    /// Inputs, sorted by field.
    public var inputs: [RecordedInput]
    /// Outcome, reasons, fingerprint and components, outputs, metrics, times.
    public var record: StepRecord

    /// Whether this step read `artifact` (another step's output) in its run.
    public func reads(_ artifact: ArtifactReference) -> Bool {
        inputs.contains { $0.source == .artifact(artifact) }
    }

    /// The sources of the inputs by field, for `Explanation.differences`.
    public var inputLabels: [String: String] {
        Dictionary(inputs.map { ($0.field, $0.sourceLabel) }, uniquingKeysWith: { a, _ in a })
    }

    init?(plan value: Value, record: StepRecord) {
        guard let name = value["name"]?.string, let kind = value["kind"]?.string,
              let version = value["kind_version"]?.int else { return nil }
        self.name = name
        self.kind = kind
        kindVersion = version
        recipe = value["recipe"]?.string
        config = value["config"] ?? .map([:])
        dependencies = value["dependencies"]?.list?.compactMap(\.string) ?? []
        declaredOutputs = (value["outputs"]?.map ?? [:]).compactMapValues { o in
            o["path"]?.string.map { ($0, o["shape"]?.string ?? "file") }
        }
        inputs = (value["inputs"]?.map ?? [:]).compactMap { RecordedInput(field: $0.key, $0.value) }.sorted { $0.field < $1.field }
        self.record = record
    }
}
