import AnnealSpec

/// The commit message of a recorded run: a subject a person reads in `git log`
/// (`tiny-chat #12: 3 ran, 6 cached; seed 7 -> 8`), one body line per changed
/// param and per edited pipeline or recipe file, and git trailers that `anneal log` and `name#n` lookups read without
/// opening the commit's tree.
///
/// ```
/// tiny-chat #12: 3 ran, 6 cached, 1 failed; interrupted; seed 7 -> 8; recipes/sft.yaml edited
///
/// param seed 7 -> 8
/// file recipes/sft.yaml edited
///
/// Anneal-Pipeline: tiny-chat
/// Anneal-Run: 12
/// Anneal-Outcome: interrupted
/// Anneal-Steps: 3 ran, 6 cached, 1 failed, 0 skipped, 0 interrupted
/// ```
public struct RunCommitMessage: Sendable, Equatable {
    /// Step outcome counts of one run.
    public struct Counts: Sendable, Equatable {
        public var ran = 0, cached = 0, failed = 0, skipped = 0, interrupted = 0

        /// Makes counts; all zero by default.
        public init(ran: Int = 0, cached: Int = 0, failed: Int = 0, skipped: Int = 0, interrupted: Int = 0) {
            (self.ran, self.cached, self.failed, self.skipped, self.interrupted) = (ran, cached, failed, skipped, interrupted)
        }

        /// `3 ran, 6 cached` plus the failed, skipped and interrupted counts that are not zero.
        public var short: String {
            var parts = ["\(ran) ran", "\(cached) cached"]
            if failed > 0 { parts.append("\(failed) failed") }
            if skipped > 0 { parts.append("\(skipped) skipped") }
            if interrupted > 0 { parts.append("\(interrupted) interrupted") }
            return parts.joined(separator: ", ")
        }

        var trailer: String {
            "\(ran) ran, \(cached) cached, \(failed) failed, \(skipped) skipped, \(interrupted) interrupted"
        }

        init?(trailer: String) {
            var found: [String: Int] = [:]
            for part in trailer.split(separator: ",") {
                let words = part.split(separator: " ")
                guard words.count == 2, let n = Int(words[0]) else { return nil }
                found[String(words[1])] = n
            }
            guard let ran = found["ran"], let cached = found["cached"] else { return nil }
            self.init(ran: ran, cached: cached, failed: found["failed"] ?? 0, skipped: found["skipped"] ?? 0,
                      interrupted: found["interrupted"] ?? 0)
        }
    }

    /// The pipeline and the run's number.
    public var pipeline: String
    public var number: Int
    /// `succeeded`, `failed` or `interrupted`.
    public var outcome: String
    /// How many steps ran, were cached, failed, were skipped or interrupted.
    public var counts: Counts
    /// `a.b 1 -> 2` for each param that differs from the previous run, sorted by name.
    public var paramChanges: [String]
    /// `recipes/sft.yaml edited` (or `added`, `removed`) for each pipeline or recipe
    /// file whose text differs from the previous run's, sorted by path.
    public var fileChanges: [String]

    /// Most param changes named in the subject; the body lists them all.
    static let subjectParamLimit = 3

    /// The message of `run`, naming the params that differ from `previousParams`
    /// (the previous run's; nil for a pipeline's first run) and the `fileChanges`.
    public init(run: RunRecord, previousParams: Value?, fileChanges: [String] = []) {
        pipeline = run.pipeline
        number = run.number
        outcome = run.outcome.rawValue
        counts = Counts(ran: run.count(.ran), cached: run.count(.cached), failed: run.count(.failed),
                        skipped: run.count(.skipped), interrupted: run.count(.interrupted))
        paramChanges = previousParams.map { ValueLeaves.changes(from: $0, to: run.params).map(\.text) } ?? []
        self.fileChanges = fileChanges
    }

    /// The part of the subject after the counts: `interrupted; seed 7 -> 8`, or empty.
    public var summary: String {
        var parts: [String] = []
        if outcome == RunRecord.Outcome.interrupted.rawValue { parts.append("interrupted") }
        if !paramChanges.isEmpty {
            var shown = paramChanges.prefix(Self.subjectParamLimit).joined(separator: ", ")
            if paramChanges.count > Self.subjectParamLimit { shown += " and \(paramChanges.count - Self.subjectParamLimit) more params" }
            parts.append(shown)
        }
        if !fileChanges.isEmpty {
            parts.append(fileChanges.count == 1 ? fileChanges[0] : "\(fileChanges.count) files changed")
        }
        return parts.joined(separator: "; ")
    }

    /// `tiny-chat#12`, the name people type.
    public var runID: String { "\(pipeline)#\(number)" }

    /// The full message text.
    public var text: String {
        var out = "\(pipeline) #\(number): \(counts.short)" + (summary.isEmpty ? "" : "; \(summary)") + "\n\n"
        let body = paramChanges.map { "param \($0)\n" } + fileChanges.map { "file \($0)\n" }
        if !body.isEmpty { out += body.joined() + "\n" }
        out += "Anneal-Pipeline: \(pipeline)\nAnneal-Run: \(number)\nAnneal-Outcome: \(outcome)\nAnneal-Steps: \(counts.trailer)\n"
        return out
    }

    /// Reads a message written by `text`; nil for a commit Anneal did not write.
    public init?(parsing message: String) {
        var trailers: [String: String] = [:]
        var changes: [String] = [], files: [String] = []
        // The subject is skipped: a pipeline may be named `param`.
        for line in message.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.hasPrefix("param ") { changes.append(String(line.dropFirst(6))) }
            if line.hasPrefix("file ") { files.append(String(line.dropFirst(5))) }
            guard line.hasPrefix("Anneal-"), let colon = line.firstIndex(of: ":") else { continue }
            trailers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let pipeline = trailers["Anneal-Pipeline"], let number = trailers["Anneal-Run"].flatMap({ Int($0) }),
              let outcome = trailers["Anneal-Outcome"], let counts = trailers["Anneal-Steps"].flatMap(Counts.init(trailer:))
        else { return nil }
        (self.pipeline, self.number, self.outcome, self.counts) = (pipeline, number, outcome, counts)
        (paramChanges, fileChanges) = (changes, files)
    }
}
