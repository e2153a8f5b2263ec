import AnnealEngine
import AnnealSteps
import ArgumentParser

/// The internal entry point a runner starts for each step.
struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_step",
        abstract: "Run one step from its description file (internal: started by 'anneal run').",
        shouldDisplay: false)

    @Argument(help: "The step description (JSON) written by the runner.")
    var description: String

    func run() throws {
        let status = StepEntryPoint.run(descriptionFile: description, implementations: StepKinds.byName)
        if status != 0 { throw ExitCode(status) }
    }
}
