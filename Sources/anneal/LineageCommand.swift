import AnnealEngine
import ArgumentParser
import Foundation

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Trace an artifact or step: what it was made from, down to source files and recipe versions, or everything made from it.",
        discussion: """
            ARTIFACT is STEP.OUTPUT or a sha256 prefix of an output's digest; STEP is a step's instance name. \
            Without --run, the latest recorded run that has it is used (for a digest: the newest run that made it). \
            Upstream ends at workspace source files (with their sha256) and recipe files (with their git blob ids \
            in that run's commit); downstream lists every step and output derived from it in that run.
            """)

    @Argument(help: ArgumentHelp("STEP.OUTPUT, a sha256 prefix of an output, or a step.", valueName: "artifact|step"))
    var subject: String

    @Flag(help: "What it was made from (the default).")
    var upstream = false

    @Flag(help: "Everything made from it.")
    var downstream = false

    @Option(help: ArgumentHelp("text, dot (Graphviz), mermaid or json.", valueName: "format"))
    var format: String = "text"

    @Option(name: .customLong("run"), help: ArgumentHelp("The recorded run to read (NAME#N, NAME, NAME~K or a commit prefix).", valueName: "run"))
    var runName: String?

    @Option(help: "The pipeline, when several have a step of that name.")
    var pipeline: String?

    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
        if upstream && downstream { throw ValidationError("give --upstream or --downstream, not both") }
        if LineageGraphFormat(rawValue: format) == nil {
            throw ValidationError("unknown format '\(format)'; choose one of \(LineageGraphFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let ws = try workspace.open()
        let text = try LineageFailure.reporting {
            try Self.render(subject, run: runName, pipeline: pipeline, direction: downstream ? .downstream : .upstream,
                            format: LineageGraphFormat(rawValue: format)!, runs: RecordedRuns(workspace: ws))
        }
        print(text, terminator: "")
    }

    /// The lineage of `subject` in `format`.
    static func render(_ subject: String, run: String?, pipeline: String?, direction: LineageGraph.Direction,
                       format: LineageGraphFormat, runs: RecordedRuns) throws -> String {
        let (recorded, located) = try runs.locate(subject, run: run, pipeline: pipeline)
        return format.render(try runs.lineage(of: located, in: recorded, direction: direction))
    }
}
