import AnnealEngine
import AnnealSpec
import ArgumentParser
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two recorded runs: pipeline and recipe text, params, step configs, fingerprints and why, outputs, metrics.",
        discussion: "RUN is NAME#N, NAME (its latest run), NAME~K or a commit hash prefix: `anneal diff tiny-chat~1 tiny-chat`.")

    @Argument(help: ArgumentHelp("The older run.", valueName: "run-a"))
    var old: String

    @Argument(help: ArgumentHelp("The newer run.", valueName: "run-b"))
    var new: String

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let text = try LineageFailure.reporting {
            let runs = try RecordedRuns(workspace: ws)
            return Self.render(try RunComparison(old: runs.run(old), new: runs.run(new), repository: runs.repository))
        }
        print(text, terminator: "")
    }

    /// The comparison as sections a person reads top to bottom.
    static func render(_ c: RunComparison) -> String {
        var out = "diff \(c.old.id) (\(c.old.commit.id.abbreviated())) -> \(c.new.id) (\(c.new.commit.id.abbreviated()))\n"
        out += "\npipeline and recipe files:" + (c.sourceDiff.isEmpty ? " unchanged\n" : "\n" + c.sourceDiff.patch)
        out += "\nparams:" + (c.params.isEmpty ? " unchanged\n" : "\n" + c.params.map { "  \($0.text)\n" }.joined())
        if !c.addedSteps.isEmpty { out += "\nsteps added: \(c.addedSteps.joined(separator: ", "))\n" }
        if !c.removedSteps.isEmpty { out += "\nsteps removed: \(c.removedSteps.joined(separator: ", "))\n" }
        out += "\nstep configs:" + (c.configs.isEmpty ? " unchanged\n" : "\n" + c.configs.map { change in
            "  \(change.step):\n" + change.changes.map { "    \($0.text)\n" }.joined()
        }.joined())
        out += "\nfingerprints:" + (c.fingerprints.isEmpty ? " all equal\n" : "\n" + c.fingerprints.map { f in
            "  \(f.step): \(f.old.map { String($0.hex.prefix(10)) } ?? "none") -> \(f.new.map { String($0.hex.prefix(10)) } ?? "none")\n"
                + f.reasons.map { "    \($0)\n" }.joined()
        }.joined())
        out += "\noutputs:" + (c.outputs.isEmpty ? " all equal\n" : "\n" + Table.render(c.outputs.map { o in
            ["  \(o.artifact)", o.old.map { "sha256 \($0.short)" } ?? "(none)", "->", o.new.map { "sha256 \($0.short)" } ?? "(none)"]
        }))
        if !c.metrics.isEmpty {
            var rows = [["  step", "metric", c.old.id, c.new.id, "delta"]]
            for m in c.metrics {
                rows.append(["  \(m.step)", m.metric, m.old ?? "-", m.new ?? "-", m.delta.map { ($0 >= 0 ? "+" : "") + CanonicalJSON.number($0) } ?? ""])
            }
            out += "\nmetrics:\n" + Table.render(rows)
        }
        return out
    }
}
