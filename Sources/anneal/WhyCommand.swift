import AnnealEngine
import ArgumentParser
import Foundation

struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Say why a step ran (or was cached, or would run) in a recorded run, field by field against the last earlier run that had it.",
        discussion: "RUN defaults to the latest recorded run that has the step.")

    @Argument(help: "The step (an instance name for a matrix step).")
    var step: String

    @Argument(help: ArgumentHelp("The run: NAME#N, NAME, NAME~K or a commit hash prefix.", valueName: "run"))
    var runName: String?

    @Option(help: "The pipeline, when several have a step of that name.")
    var pipeline: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let text = try LineageFailure.reporting {
            let runs = try RecordedRuns(workspace: ws)
            let (recorded, subject) = try runs.locate(step, run: runName, pipeline: pipeline)
            return Self.render(try StepRunExplanation(step: subject.step, in: recorded, runs: runs))
        }
        print(text, terminator: "")
    }

    static func render(_ e: StepRunExplanation) -> String {
        let r = e.step.record
        var out = "\(e.step.name) in \(e.run.id) (commit \(e.run.commit.id.abbreviated())): \(r.outcome.rawValue)\n"
        if !r.reasons.isEmpty { out += "recorded reasons:\n" + r.reasons.map { "  \($0)\n" }.joined() }
        guard let previous = e.previousRun, let before = e.previousStep?.record else {
            return out + "no earlier run of \(e.run.pipeline) ran or cached \(e.step.name): this is its first recorded run\n"
        }
        out += "compared with \(previous.id) (commit \(previous.commit.id.abbreviated())), where it \(before.outcome == .cached ? "was cached" : "ran"):\n"
        guard let now = r.fingerprint else {
            return out + "  it has no fingerprint in \(e.run.id): it never got that far (\(r.outcome.rawValue))\n"
        }
        if before.fingerprint == now {
            let verdict = r.outcome == .cached ? "so its outputs were reused from the cache" : "yet it ran: see the recorded reasons"
            return out + "  same fingerprint \(now.short).., \(verdict)\n"
        }
        out += "  fingerprint \(before.fingerprint?.short ?? "none").. -> \(now.short)..\n"
        out += e.differences.map { "  \($0)\n" }.joined()
        if r.outcome == .cached {
            out += "  (cached all the same: an earlier run had made outputs for this fingerprint)\n"
        }
        return out
    }
}
