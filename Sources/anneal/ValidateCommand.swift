import AnnealSpec
import ArgumentParser

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline: its YAML, every step against its kind's schema, references and the DAG.",
        discussion: "Prints errors and warnings as FILE:LINE:COL. Exits 1 if there is any error, 0 otherwise.")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        let plan = try options.compile()
        let warnings = plan.warnings.count
        print("\(options.path): ok, \(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")"
              + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
    }
}
