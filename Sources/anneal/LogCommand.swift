import AnnealEngine
import ArgumentParser
import Foundation

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List recorded runs, newest first: run, commit, time, outcome, step counts and what changed.",
        discussion: """
            Every `anneal run` (succeeded, failed or interrupted) is one commit on refs/anneal/PIPELINE \
            in .anneal/lineage.git. The RUN column is what other commands accept (`anneal show hello#3`).
            """)

    @Argument(help: "Only this pipeline's runs (default: every pipeline, merged by time).")
    var pipeline: String?

    @Option(name: [.customShort("n"), .long], help: "Show at most this many runs.")
    var limit: Int?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let text = try LineageFailure.reporting {
            try Self.render(RecordedRuns(workspace: ws).log(pipeline: pipeline, limit: limit.map { max(0, $0) }))
        }
        print(text, terminator: "")
    }

    /// The log as a table.
    static func render(_ entries: [RunLogEntry]) -> String {
        var rows: [[String]] = [["run", "commit", "time", "outcome", "steps", "summary"]]
        for entry in entries {
            let message = entry.message
            rows.append([entry.id, entry.commit.id.abbreviated(), CommitTime.text(entry.commit.author),
                         message?.outcome ?? "-", message?.counts.short ?? "-", message?.summary ?? entry.commit.subject])
        }
        return Table.render(rows)
    }
}
