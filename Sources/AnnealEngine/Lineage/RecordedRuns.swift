import AnnealLineage
import AnnealSpec
import Foundation

/// The runs recorded in a workspace's lineage repository, and the lookups the
/// commands share: which commit a person means by a RUN (`tiny-chat#12`,
/// `tiny-chat`, `tiny-chat~2`, a commit hash prefix), the log of runs, and which
/// run and step an artifact or step name refers to.
public final class RecordedRuns: @unchecked Sendable {
    // @unchecked: the repository serialises its own use; `loaded` is guarded by `lock`.
    /// The lineage repository the runs are read from.
    public let repository: LineageRepository
    private var loaded: [CommitID: RecordedRun] = [:]
    private let lock = NSLock()

    /// Opens the lineage repository of `workspace`; an error when no run was recorded there yet.
    public convenience init(workspace: Workspace) throws {
        guard FileManager.default.fileExists(atPath: workspace.lineagePath) else {
            throw LineageQueryError("no runs are recorded in \(workspace.root) (there is no .anneal/lineage.git)",
                                    hint: "run a pipeline with `anneal run`, or fetch a team's history with `anneal pull REMOTE`")
        }
        try self.init(repository: LineageRepository(at: workspace.lineagePath, create: false))
    }

    /// Reads runs from `repository`.
    public init(repository: LineageRepository) {
        self.repository = repository
    }

    /// The names of the pipelines with recorded runs, sorted.
    public func pipelines() throws -> [String] {
        try repository.refs().map { String($0.name.dropFirst(LineageRepository.runRefPrefix.count)) }
    }

    // MARK: Log

    /// Runs newest first: of `pipeline`, or of every pipeline merged by time; at most `limit`.
    public func log(pipeline: String? = nil, limit: Int? = nil) throws -> [RunLogEntry] {
        let names = try pipeline.map { [$0] } ?? pipelines()
        var histories: [[RunLogEntry]] = []
        for name in names {
            guard let tip = try repository.tip(ref: LineageRepository.runRef(pipeline: name)) else { throw unknownPipeline(name) }
            histories.append(try history(from: tip, limit: limit).map(RunLogEntry.init))
        }
        // Merge newest first by time, keeping each pipeline's own order.
        var entries: [RunLogEntry] = []
        var next = [Int](repeating: 0, count: histories.count)
        while limit.map({ entries.count < $0 }) ?? true {
            var pick: Int?
            for (i, history) in histories.enumerated() where next[i] < history.count {
                if let p = pick, histories[p][next[p]].commit.author.time >= history[next[i]].commit.author.time { continue }
                pick = i
            }
            guard let pick else { break }
            entries.append(histories[pick][next[pick]])
            next[pick] += 1
        }
        return entries
    }

    /// The runs from `tip` back along first parents, newest first, at most `limit`.
    ///
    /// The order is the history's own, not the commit times: runs recorded within the
    /// same second (or on machines whose clocks disagree) keep their true order.
    public func history(from tip: CommitID, limit: Int? = nil) throws -> [CommitSummary] {
        var out: [CommitSummary] = []
        var next: CommitID? = tip
        while let id = next, limit.map({ out.count < $0 }) ?? true {
            let commit = try repository.summary(of: id)
            out.append(commit)
            next = commit.parents.first
        }
        return out
    }

    // MARK: Runs

    /// The run a person means by `text`: `name#n`, `name` (the latest run), `name~k`
    /// (k runs before the latest), or a commit hash prefix.
    public func resolve(_ text: String) throws -> CommitSummary {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let hash = text.lastIndex(of: "#"), let number = Int(text[text.index(after: hash)...]) {
            return try numbered(pipeline: String(text[..<hash]), number: number)
        }
        do {
            return try repository.summary(of: repository.resolve(revision: text))
        } catch let error as LineageError where error.kind == .notFound {
            throw LineageQueryError("no run is named '\(text)'\(Suggestion.didYouMean(text, in: (try? pipelines()) ?? []))",
                                    hint: "give NAME#N, NAME (the latest run), NAME~K or a commit hash prefix; `anneal log` lists the runs")
        }
    }

    /// The run `text` names, read from its commit.
    public func run(_ text: String) throws -> RecordedRun {
        try run(resolve(text))
    }

    /// The run recorded in `commit` (read once, then kept).
    public func run(_ commit: CommitSummary) throws -> RecordedRun {
        lock.lock()
        let known = loaded[commit.id]
        lock.unlock()
        if let known { return known }
        let run = try RecordedRun(commit: commit, in: repository)
        lock.lock()
        loaded[commit.id] = run
        lock.unlock()
        return run
    }

    /// The latest run of every pipeline, in pipeline name order.
    public func latestRuns() throws -> [RecordedRun] {
        try repository.refs().map { try run(repository.summary(of: $0.tip)) }
    }

    /// The commits recorded before `run` on its pipeline's history, newest first.
    public func earlier(than run: RecordedRun) throws -> [CommitSummary] {
        guard let parent = run.commit.parents.first else { return [] }
        return try history(from: parent)
    }

    private func numbered(pipeline: String, number: Int) throws -> CommitSummary {
        guard let tip = try repository.tip(ref: LineageRepository.runRef(pipeline: pipeline)) else { throw unknownPipeline(pipeline) }
        var numbers: [Int] = []
        for commit in try history(from: tip) {
            guard let message = RunCommitMessage(parsing: commit.message) else { continue }
            if message.number == number { return commit }
            numbers.append(message.number)
        }
        let range = numbers.isEmpty ? "none" : "#\(numbers.min()!) to #\(numbers.max()!)"
        throw LineageQueryError("\(pipeline) has no recorded run #\(number) (its runs are \(range))",
                                hint: "`anneal log \(pipeline)` lists them")
    }

    func unknownPipeline(_ name: String) -> LineageQueryError {
        let known = (try? pipelines()) ?? []
        return LineageQueryError("no runs of a pipeline named '\(name)' are recorded\(Suggestion.didYouMean(name, in: known))",
                                 hint: known.isEmpty ? "run it first" : "recorded pipelines: \(known.joined(separator: ", "))")
    }
}
