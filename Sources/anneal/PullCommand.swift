import AnnealEngine
import AnnealLineage
import ArgumentParser
import Foundation

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch the run history of every pipeline from a git remote (refs/anneal/*), fast-forward only.",
        discussion: """
            A history that diverged (both sides recorded runs since they last agreed) is refused and nothing \
            changes; --force replaces the local history with the remote's. Pulled runs are numbered as their \
            author numbered them, and this workspace's next run of that pipeline is numbered after them.
            """)

    @Argument(help: "A path or URL of a git repository (file://, ssh://, https://, user@host:path).")
    var remote: String

    @Flag(help: "Replace local histories that diverged from the remote's (their local-only runs leave the history).")
    var force = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let lock: WorkspaceLock
        do {
            lock = try WorkspaceLock(workspace: ws, command: "anneal pull")
        } catch let held as WorkspaceLock.Held {
            DiagnosticPrinter.write("error: \(held)\n")
            throw ExitCode(1)
        }
        defer { withExtendedLifetime(lock) {} }
        let updates = try LineageFailure.reporting {
            let repository = try LineageRepository(at: ws.lineagePath)
            let updates = try repository.pull(remote: remote, force: force)
            try Self.numberAfterPulledRuns(updates, repository: repository, workspace: ws)
            return updates
        }
        print(RefUpdateReport.text(updates, remote: remote, verb: "pulled from"), terminator: "")
    }

    /// Moves each pulled pipeline's run counter past the pulled run numbers, so the
    /// next local run gets a number no recorded run has.
    static func numberAfterPulledRuns(_ updates: [RefUpdate], repository: LineageRepository, workspace: Workspace) throws {
        for update in updates where update.outcome != .upToDate && update.outcome != .localAhead {
            guard update.ref.hasPrefix(LineageRepository.runRefPrefix),
                  let number = RunCommitMessage(parsing: try repository.summary(of: update.new).message)?.number else { continue }
            let pipeline = String(update.ref.dropFirst(LineageRepository.runRefPrefix.count))
            var state = PipelineState.load(workspace, pipeline: pipeline)
            if state.runs < number {
                state.runs = number
                try state.save(workspace, pipeline: pipeline)
            }
        }
    }
}
