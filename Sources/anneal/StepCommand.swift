import AnnealEngine
import AnnealSteps
import ArgumentParser

/// The internal entry point a runner starts for each step.
struct StepCommand: ParsableCommand {
    static let name = "_step"

    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "Run one step from its description file (internal: started by 'anneal run').",
        shouldDisplay: false)

    @Argument(help: "The step description (JSON) written by the runner.")
    var description: String

    func run() throws {
        let status = Self.run(descriptionFile: description)
        if status != 0 { throw ExitCode(status) }
    }

    static func run(descriptionFile: String) -> Int32 {
        StepEntryPoint.run(descriptionFile: descriptionFile, implementations: StepKinds.byName)
    }
}
