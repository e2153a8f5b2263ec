import AnnealEngine
import AnnealLineage
import ArgumentParser
import Foundation

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Send the run history of every pipeline to a git remote (refs/anneal/*), fast-forward only.",
        discussion: """
            REMOTE is a path or URL of an existing git repository (`git init --bare /shared/lineage.git`). \
            Only the history travels (small text); outputs stay in this workspace's store. A remote that has \
            runs you have not pulled refuses the push: `anneal pull REMOTE` first.
            """)

    @Argument(help: "A path or URL of a git repository (file://, ssh://, https://, user@host:path).")
    var remote: String

    @Flag(help: "Overwrite the remote's histories even when that drops runs only the remote has.")
    var force = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let updates = try LineageFailure.reporting {
            try RecordedRuns(workspace: ws).repository.push(remote: remote, force: force)
        }
        print(RefUpdateReport.text(updates, remote: remote, verb: "pushed to"), terminator: "")
    }
}
