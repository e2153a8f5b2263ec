import ArgumentParser
import Foundation

@main
struct Anneal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anneal",
        abstract: "Run the whole life of a language model as one declarative, cached pipeline.",
        discussion: """
            A pipeline is a YAML file (see docs/pipeline-language.md). PIPELINE arguments take a \
            path, or a name that is looked up as pipelines/NAME.yaml.
            """,
        subcommands: [
            RunCommand.self, StatusCommand.self, ShowCommand.self, LogCommand.self, LineageCommand.self, DiffCommand.self, WhyCommand.self, CheckoutCommand.self, MetricsCommand.self, PushCommand.self, PullCommand.self, LogsCommand.self, GCCommand.self, FsckCommand.self, ValidateCommand.self, PlanCommand.self, DagCommand.self, KindsCommand.self, BenchCommand.self, GenerateCommand.self, ChatCommand.self, StepCommand.self, ReportCommand.self, InitCommand.self,
        ])

    /// `anneal _step FILE` starts once for every step that runs, so it skips
    /// the argument parser: matching the command line against the whole tree
    /// of subcommands cost more than a millisecond of every step's start.
    static func main() {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == StepCommand.name {
            Foundation.exit(StepCommand.run(descriptionFile: arguments[2]))
        }
        main(nil)
    }
}
