import AnnealSpec
import AnnealSteps

/// A step kind with every field type, so tests can check schema-directed typing.
enum TestKinds {
    static let train = StepKindDescriptor(
        name: "train", version: 3, summary: "A kind for tests.",
        schema: Schema([
            Field("learning_rate", .float(min: 0), default: .float(0.001), doc: "step size"),
            Field("steps", .int(min: 1), default: .int(10), doc: "how many steps"),
            Field("label", .string, default: .string("run"), doc: "a label"),
            Field("flag", .bool, default: .bool(false), doc: "a switch"),
            Field("mode", .enumeration(["fast", "slow"]), default: .string("fast"), doc: "a mode"),
            Field("tags", .list(.string), default: .list([]), doc: "labels"),
            Field("model", .record(Schema([
                Field("layers", .int(min: 1), default: .int(2), doc: "layers"),
                Field("width", .int(min: 8), required: true, doc: "width"),
                Field("dropout", .float(min: 0, max: 1), default: .float(0), doc: "dropout"),
            ])), doc: "the model shape"),
            Field("data", .file, doc: "training data"),
            Field("base", .artifact, doc: "a model to start from"),
            Field("models", .map(.file), default: .map([:]), doc: "models to compare"),
            Field("all", .list(.file), default: .list([]), doc: "several inputs"),
        ]),
        outputs: .fixed([OutputDeclaration("model", path: "model", shape: .directory),
                         OutputDeclaration("metrics", path: "metrics.jsonl", shape: .file)]))

    static var catalog: KindCatalog {
        var c = StepKinds.catalog
        c.register(train)
        return c
    }

    /// Compiles pipeline text written in a test, with paths relative to the fixtures folder.
    static func compile(_ text: String, overrides: ParamOverrides = ParamOverrides(),
                        environment: [String: String] = [:]) throws -> Plan {
        let spec = try PipelineLoader().load(text: text, file: "test.yaml", baseDirectory: FixtureFiles.root)
        return try Compiler(catalog: catalog).compile(spec, overrides: overrides, environment: environment)
    }

    /// The diagnostics of a pipeline that must fail to compile.
    static func errors(_ text: String, overrides: ParamOverrides = ParamOverrides(),
                       environment: [String: String] = [:]) -> [Diagnostic] {
        do {
            _ = try compile(text, overrides: overrides, environment: environment)
            return []
        } catch let e as DiagnosticError {
            return e.errors
        } catch {
            return [Diagnostic.error(nil, "unexpected error \(error)")]
        }
    }
}
