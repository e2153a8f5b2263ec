import AnnealEngine
import ArgumentParser
import Foundation

struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Copy the outputs of a recorded run (or of one of its steps) out of the store into a folder.",
        discussion: """
            Outputs land in DIR/STEP/OUTPUT as copies, never links into the store. Outputs whose objects \
            are gone (after `anneal gc`) are listed with the steps to rerun; the exit status is then 1.
            """)

    @Argument(help: ArgumentHelp("The run: NAME#N, NAME, NAME~K or a commit hash prefix.", valueName: "run"))
    var runName: String

    @Argument(help: "Only this step's outputs.")
    var step: String?

    @Option(help: ArgumentHelp("The folder to write into (created if needed).", valueName: "dir"))
    var to: String

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let checkout = try LineageFailure.reporting {
            let recorded = try RecordedRuns(workspace: ws).run(runName)
            return try RunCheckout(run: recorded, steps: step.map { [$0] }, to: to, store: ws.store)
        }
        var out = ""
        for w in checkout.written {
            out += "\(w.artifact)  sha256 \(w.stored.digest.short)  \(ProgressDisplay.bytes(Int(w.stored.size)))  -> \(w.path)\n"
        }
        out += "\(checkout.written.count) output\(checkout.written.count == 1 ? "" : "s") of \(checkout.run.id) written to \(to)\n"
        print(out, terminator: "")
        for name in checkout.unproduced {
            let outcome = checkout.run.step(named: name)?.record.outcome.rawValue ?? "did not run"
            DiagnosticPrinter.write("note: step \(name) made no outputs in \(checkout.run.id) (\(outcome))\n")
        }
        guard checkout.missing.isEmpty else {
            let pipelineFile = checkout.run.pipelineFile.map { " (that run's pipeline file: git --git-dir \(ws.lineagePath) show \(checkout.run.commit.id.abbreviated()):\($0.tree))" } ?? ""
            DiagnosticPrinter.write("error: \(checkout.missing.count) output\(checkout.missing.count == 1 ? " is" : "s are") gone from the store: "
                                    + checkout.missing.map(\.description).joined(separator: ", ") + "\n"
                                    + "  rerun these steps of \(checkout.run.id) to make them again: \(checkout.stepsToRerun.joined(separator: ", "))\(pipelineFile)\n")
            throw ExitCode(1)
        }
    }
}
