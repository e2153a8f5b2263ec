import AnnealEngine
import AnnealSpec
import Foundation

/// The `shell` step kind: a command with declared inputs and outputs.
///
/// Inputs are workspace paths or other steps' outputs, hashed by content;
/// outputs are paths inside the step's own output folder that the command
/// must create. `${inputs.x}` and `${outputs.y}` in the command become quoted
/// paths when the step runs. The command also finds `ANNEAL_WORK_DIR`, a
/// folder kept across attempts of the same step identity, for checkpoints.
public struct Shell: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "shell",
        version: 1,
        summary: "Run a shell command with declared inputs and outputs.",
        schema: Schema([
            Field("command", .template(runtimeNamespaces: ["inputs", "outputs"]), required: true,
                  doc: "the command, run by /bin/sh -c; ${inputs.NAME} and ${outputs.NAME} become quoted paths"),
            Field("inputs", .map(.either(.file, .list(.file))), default: .map([:]),
                  doc: "named inputs: a workspace path or ${STEP.OUTPUT}, or a list of them; their content is part of the step's identity"),
            Field("outputs", .map(.string), default: .map([:]),
                  doc: "named outputs: paths inside the step's output folder the command must create; end a folder with '/'"),
            Field("env", .map(.string), default: .map([:]),
                  doc: "environment variables set for the command (part of the step's identity)"),
        ]),
        outputs: .declared(field: "outputs"))

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        let config: Configuration = try configuration(context)
        let command = try Self.expand(config, outputPath: context.outputPath)
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in config.env { environment[k] = v }
        environment["ANNEAL_WORK_DIR"] = context.workDirectory
        environment["ANNEAL_OUTPUT_DIR"] = context.outputDirectory
        environment["ANNEAL_STEP"] = context.step
        let child = try ChildProcess.spawn(["/bin/sh", "-c", command], log: nil, environment: environment, newProcessGroup: false)
        let end = child.wait()
        guard end.succeeded else { throw StepFailure("the command ended with \(end.summary)") }
    }

    /// The command with `${inputs.x}` and `${outputs.y}` replaced by quoted paths.
    static func expand(_ config: Configuration, outputPath: (String) -> String) throws -> String {
        let parsed: TemplateString
        switch TemplateString.parse(config.command) {
        case .success(let t): parsed = t
        case .failure(let e): throw StepFailure(e.message)
        }
        var out = ""
        for part in parsed.parts {
            switch part {
            case .text(let t):
                out += t
            case .reference(let r, _):
                let pieces = r.split(separator: ".", maxSplits: 1).map(String.init)
                guard pieces.count == 2 else { throw StepFailure("cannot expand ${\(r)}") }
                switch pieces[0] {
                case "inputs":
                    guard let v = config.inputs[pieces[1]] else { throw StepFailure("no input '\(pieces[1])'") }
                    out += v.paths.flatMap(expanded).map(quote).joined(separator: " ")
                case "outputs":
                    out += quote(outputPath(pieces[1]))
                default:
                    throw StepFailure("cannot expand ${\(r)}")
                }
            }
        }
        return out
    }

    /// The paths an input path stands for; a glob pattern expands to its matches.
    static func expanded(_ p: String) -> [String] {
        p.contains(where: { "*?[".contains($0) }) ? Glob.matches(p) : [p]
    }

    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
