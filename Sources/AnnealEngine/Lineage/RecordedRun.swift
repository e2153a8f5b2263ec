import AnnealLineage
import AnnealSpec
import Foundation

/// One run read back from its lineage commit: the run record (run.json) joined
/// with the resolved plan (plan.json), and the commit that holds them.
public struct RecordedRun: Sendable {
    /// The commit of the run.
    public let commit: CommitSummary
    /// The pipeline's name.
    public let pipeline: String
    /// The run's number for its pipeline (`tiny-chat#12`).
    public let number: Int
    /// `succeeded`, `failed` or `interrupted`.
    public let outcome: String
    /// When the run started and ended (nil if the record lacks them).
    public let started: Date?
    public let ended: Date?
    /// Every param after overrides.
    public let params: Value
    /// The steps in plan order.
    public let steps: [RecordedStep]
    /// The pipeline file, as read and as kept in the tree.
    public let pipelineFile: RecordedSource?
    /// The recipe files, sorted by path.
    public let recipes: [RecordedSource]
    /// The workspace's git state when the run was recorded (`head`, `branch`, `dirty`); null outside git.
    public let workspaceGit: Value

    /// `tiny-chat#12`.
    public var id: String { "\(pipeline)#\(number)" }

    /// The step with this instance name.
    public func step(named name: String) -> RecordedStep? {
        steps.first { $0.name == name }
    }

    /// The step output `artifact` names, if the run has that step and the step produced it.
    public func output(_ artifact: ArtifactReference) -> StoredArtifact? {
        step(named: artifact.step)?.record.outputs[artifact.output]
    }

    /// Reads the run recorded in `commit`.
    public init(commit: CommitSummary, in repository: LineageRepository) throws {
        let shown = commit.id.abbreviated()
        let run = try Self.readJSON(repository, commit, "run.json")
        let plan = try Self.readJSON(repository, commit, "plan.json")
        guard let pipeline = run["pipeline"]?.string, let number = run["number"]?.int else {
            throw LineageQueryError("commit \(shown) has a run.json without a pipeline name and run number",
                                    hint: "it was not written by `anneal run`; give another run")
        }
        self.commit = commit
        self.pipeline = pipeline
        self.number = number
        outcome = run["outcome"]?.string ?? "unknown"
        started = run["started"]?.string.flatMap(Timestamps.parse)
        ended = run["ended"]?.string.flatMap(Timestamps.parse)
        params = run["params"] ?? .map([:])
        workspaceGit = run["workspace_git"] ?? .null
        var records: [String: StepRecord] = [:]
        for value in run["steps"]?.list ?? [] {
            if let record = StepRecord(value) { records[record.name] = record }
        }
        steps = (plan["steps"]?.list ?? []).compactMap { value in
            value["name"]?.string.flatMap { records[$0] }.flatMap { RecordedStep(plan: value, record: $0) }
        }
        let sources = plan["sources"]
        pipelineFile = sources?["pipeline"].flatMap(Self.source)
        recipes = (sources?["recipes"]?.list ?? []).compactMap(Self.source)
    }

    static func source(_ value: Value) -> RecordedSource? {
        guard let path = value["path"]?.string, let tree = value["tree"]?.string else { return nil }
        return RecordedSource(path: path, tree: tree)
    }

    static func readJSON(_ repository: LineageRepository, _ commit: CommitSummary, _ path: String) throws -> Value {
        guard let data = try repository.readFile(commit: commit.id, path: path) else {
            throw LineageQueryError("commit \(commit.id.abbreviated()) (\(commit.subject)) has no \(path)",
                                    hint: "it was not written by `anneal run`; give another run")
        }
        do {
            return try JSONReader.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw LineageQueryError("\(path) of commit \(commit.id.abbreviated()) is not valid JSON: \(error)",
                                    hint: "the lineage repository was edited by hand; give another run")
        }
    }
}
