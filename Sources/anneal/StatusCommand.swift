import AnnealSpec
import AnnealEngine
import ArgumentParser
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List every step as up to date or to run, with the reason. Works while a run holds the workspace.")

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let plan = try pipeline.compile()
        var options = RunOptions()
        options.dryRun = true
        let runner = Runner(workspace: try workspace.open(), plan: plan, options: options, executable: SelfExecutable.path,
                            display: ProgressDisplay(quiet: true))
        let record = try runner.run()
        print(RunSummary.table(record, dryRun: true), terminator: "")
    }
}

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the log of the last run of a step (its standard output and error).")

    @Argument(help: "The step (an instance name for a matrix step, like 'dpo[beta=0.1]').")
    var step: String

    @Option(help: "The pipeline, when several have a step of that name.")
    var pipeline: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let (pipelineName, record) = try StepLookup.find(step, pipeline: pipeline, in: ws)
        // The newest run that executed the step, failed ones included.
        let history = RunHistory(workspace: ws)
        let newest = history.numbers(pipelineName).reversed().lazy.compactMap { n in
            history.load(pipelineName, n)?["steps"]?.list?.first { $0["name"]?.string == step }?["log"]?.string
        }.first
        guard let log = newest ?? record.log, let text = try? String(contentsOfFile: log, encoding: .utf8) else {
            DiagnosticPrinter.write("error: no log kept for step '\(step)' (it was never executed in this workspace)\n")
            throw ExitCode(1)
        }
        print(text, terminator: "")
    }
}

/// Finds a step's last record among the pipelines run in a workspace.
enum StepLookup {
    static func find(_ step: String, pipeline: String?, in ws: Workspace) throws -> (String, StepRecord) {
        let pipelines = pipeline.map { [$0] } ?? RunHistory(workspace: ws).pipelines
        var found: [(String, StepRecord)] = []
        for p in pipelines {
            if let r = PipelineState.load(ws, pipeline: p).steps[step] { found.append((p, r)) }
        }
        if found.count == 1 { return found[0] }
        if found.isEmpty {
            let known = pipelines.flatMap { PipelineState.load(ws, pipeline: $0).steps.keys }
            DiagnosticPrinter.write("error: no run in this workspace has a step '\(step)'\(Suggestion.didYouMean(step, in: known))\n")
        } else {
            DiagnosticPrinter.write("error: step '\(step)' is in several pipelines (\(found.map(\.0).joined(separator: ", "))); say which with --pipeline\n")
        }
        throw ExitCode(1)
    }
}
