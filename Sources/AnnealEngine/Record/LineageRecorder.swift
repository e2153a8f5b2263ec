import AnnealLineage
import AnnealSpec
import Foundation

/// Records each run of a pipeline as one commit on `refs/anneal/<pipeline>` in the
/// workspace's lineage repository (`.anneal/lineage.git`), whatever its outcome:
/// succeeded, failed or interrupted. A dry run is not a run and is refused.
///
/// The commit's tree is `RunCommitTree`; its message is `RunCommitMessage`, naming
/// the params that changed since the previous recorded run; its author comes from
/// git config (or is "anneal"), at the time the run ended.
public struct LineageRecorder: Sendable {
    /// The workspace whose `.anneal/lineage.git` receives the runs.
    public let workspace: Workspace

    /// How often a record is retried when another process records a run of the
    /// same pipeline at the same instant (the ref moved under it).
    static let attempts = 20

    /// A recorder for the runs of `workspace`.
    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Commits `run`, made from `plan`, and returns the commit's id.
    @discardableResult
    public func record(_ run: RunRecord, plan: Plan) throws -> CommitID {
        guard run.outcome != .planned else {
            throw LineageQueryError("a dry run of \(run.pipeline) executes nothing and is not recorded",
                                    hint: "run the pipeline without --dry-run to record it")
        }
        let repository = try LineageRepository(at: workspace.lineagePath)
        let ref = try LineageRepository.runRef(pipeline: run.pipeline)
        var gitState: WorkspaceGitState?
        var gitProblem: String?
        do {
            gitState = try WorkspaceGitState.probe(directory: workspace.root)
        } catch {
            gitProblem = "\(error)"
        }
        let tree = RunCommitTree(run: run, plan: plan, workspaceRoot: workspace.root, gitState: gitState, gitProblem: gitProblem)
        let author = Self.author(at: run.ended, directory: workspace.root)
        var lastError: Error?
        for _ in 0..<Self.attempts {
            let tip = try repository.tip(ref: ref)
            let message = RunCommitMessage(run: run, previousParams: try tip.flatMap { try previousParams(repository, tip: $0) },
                                           fileChanges: try tip.map { try fileChanges(repository, from: $0, to: tree) } ?? [])
            do {
                return try repository.commit(ref: ref, files: tree.files, message: message.text, author: author)
            } catch let error as LineageError where error.kind == .refMoved {
                // Another process recorded a run in between: compare with it and commit on top.
                lastError = error
            }
        }
        throw lastError!
    }

    /// The params of the run recorded in `tip`.
    func previousParams(_ repository: LineageRepository, tip: CommitID) throws -> Value? {
        guard let data = try repository.readFile(commit: tip, path: "run.json") else { return nil }
        return try? JSONReader.parse(String(decoding: data, as: UTF8.self))["params"]
    }

    /// The pipeline and recipe files whose text differs between the run in `tip`
    /// and `tree`: `recipes/sft.yaml edited`, `added` or `removed`.
    func fileChanges(_ repository: LineageRepository, from tip: CommitID, to tree: RunCommitTree) throws -> [String] {
        let isSource = { (path: String) in path.hasPrefix("files/") || path.hasPrefix("recipes/") }
        let before = Set(try repository.listFiles(commit: tip).filter(isSource))
        let after = Set(tree.files.keys.filter(isSource))
        var changes: [String] = []
        for path in before.union(after).sorted() {
            let shown = path.hasPrefix("files/") ? String(path.dropFirst(6)) : path
            if !before.contains(path) {
                changes.append("\(shown) added")
            } else if !after.contains(path) {
                changes.append("\(shown) removed")
            } else if try repository.readFile(commit: tip, path: path) != tree.files[path] {
                changes.append("\(shown) edited")
            }
        }
        return changes
    }

    /// The person git config names (or "anneal"), at `date` in the local time zone.
    static func author(at date: Date, directory: String) -> CommitAuthor {
        let time = Int64(date.timeIntervalSince1970.rounded(.down))
        let offset = Int32(TimeZone.current.secondsFromGMT(for: date) / 60)
        return CommitAuthor.configured(directory: directory, time: time, offsetMinutes: offset)
            ?? CommitAuthor(name: "anneal", email: "anneal@localhost", time: time, offsetMinutes: offset)
    }
}
