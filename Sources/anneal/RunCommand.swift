import AnnealEngine
import AnnealSpec
import ArgumentParser
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline: execute the steps whose inputs changed, reuse the rest from the cache.",
        discussion: """
            Each step that runs prints why (a changed param, a changed input, a new step...). \
            A run that is interrupted or killed can be run again: finished steps are cached, and \
            steps that checkpoint continue from their last checkpoint. Exits 1 if a step failed, \
            130 if interrupted.
            """)

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: ArgumentHelp("Run only this step (repeatable); its inputs must be up to date.", valueName: "step"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Run this step and everything it depends on.", valueName: "step"))
    var until: String?

    @Option(help: ArgumentHelp("Run this step and everything that depends on it; upstream must be up to date.", valueName: "step"))
    var from: String?

    @Option(help: ArgumentHelp("Run this step even if it is cached (repeatable).", valueName: "step"))
    var force: [String] = []

    @Flag(help: "With --force: also run every step downstream of the forced ones.")
    var forceDownstream = false

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Most steps running at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "After a failure, keep running every step that does not depend on it.")
    var keepGoing = false

    @Flag(help: "Say what would run and why; run nothing.")
    var dryRun = false

    @Flag(help: "Re-hash every stored object and input the run reads, instead of trusting unchanged file stamps.")
    var verify = false

    @Option(help: ArgumentHelp("Where steps run: local (child processes) or slurm (a batch job per step, see docs/slurm.md); default $ANNEAL_EXECUTOR, else local.", valueName: "executor"))
    var executor: ExecutorChoice?

    func run() throws {
        let plan = try pipeline.compile()
        let ws = try workspace.open()
        var options = RunOptions()
        options.only = only
        options.until = until
        options.from = from
        options.force = force
        options.forceDownstream = forceDownstream
        options.jobs = max(1, jobs)
        options.keepGoing = keepGoing
        options.dryRun = dryRun
        options.verify = verify
        options.command = CommandLine.arguments.joined(separator: " ")
        let record: RunRecord
        var commit: String?
        do {
            let lock = dryRun ? nil : try WorkspaceLock(workspace: ws, command: options.command)
            defer { withExtendedLifetime(lock) {} }
            let executor = dryRun ? LocalExecutor() : try ExecutorChoice.resolve(executor).makeExecutor(pipeline: plan.pipeline)
            let runner = Runner(workspace: ws, plan: plan, options: options, executable: SelfExecutable.path, executor: executor)
            if !dryRun { DiagnosticPrinter.write("\(plan.pipeline) #\(runner.nextNumber): \(plan.steps.count) steps\n") }
            record = try runner.run()
            if !dryRun { commit = RunLineageRecording.record(record, plan: plan, workspace: ws) }
        } catch let held as WorkspaceLock.Held {
            DiagnosticPrinter.write("error: \(held)\n")
            throw ExitCode(1)
        } catch let failure as StepFailure {
            DiagnosticPrinter.write("error: \(failure)\n")
            throw ExitCode(1)
        }
        print(RunSummary.table(record, dryRun: dryRun, commit: commit), terminator: "")
        if commit != nil {
            // The report is a view of the recorded run: a failure to write it is a warning, never a failed run.
            do {
                print("report: \(try ReportCommand.write(runName: record.id, outDirectory: nil, workspace: ws))")
            } catch {
                DiagnosticPrinter.write("warning: no report for \(record.id): \(error)\n  `anneal report \(record.id)` tries again\n")
            }
        }
        switch record.outcome {
        case .failed: throw ExitCode(1)
        case .interrupted: throw ExitCode(130)
        default: break
        }
    }
}

/// The table printed after a run, and by `status`.
enum RunSummary {
    static func table(_ record: RunRecord, dryRun: Bool, commit: String? = nil) -> String {
        var rows: [[String]] = [["step", dryRun ? "status" : "outcome", "time", "peak memory", dryRun ? "why" : ""]]
        for s in record.steps {
            let outcome = dryRun ? (s.outcome == .cached ? "up to date" : s.outcome == .wouldRun ? "to run" : s.outcome.rawValue) : s.outcome.rawValue
            let why = dryRun || s.outcome == .failed || s.outcome == .skipped ? s.reasons.joined(separator: "; ") : ""
            rows.append([s.name, outcome, s.outcome == .ran || s.outcome == .failed ? ProgressDisplay.duration(s.wallSeconds) : "-",
                         s.outcome == .ran ? ProgressDisplay.bytes(s.peakMemoryBytes) : "-", why])
        }
        var out = Table.render(rows)
        if !dryRun {
            let ran = record.count(.ran), cached = record.count(.cached), failed = record.count(.failed)
            out += "\n\(record.id)\(commit.map { " (commit \($0))" } ?? ""): \(record.outcome.rawValue) — \(ran) ran, \(cached) cached"
                + (failed > 0 ? ", \(failed) failed" : "") + (record.count(.skipped) > 0 ? ", \(record.count(.skipped)) skipped" : "")
                + " in \(ProgressDisplay.duration(record.ended.timeIntervalSince(record.started)))\n"
        }
        return out
    }
}

/// Plain text tables with aligned columns.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                line += i == r.count - 1 ? c : c.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
