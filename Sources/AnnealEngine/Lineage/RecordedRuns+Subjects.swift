import AnnealLineage
import AnnealSpec
import Foundation

extension RecordedRuns {
    /// The run and subject `text` names: a step (`sft`, `dpo[beta=0.1]`), a step's
    /// output (`sft.model`) or an output's sha256 digest prefix. In `run` when given;
    /// otherwise in the latest run of the pipelines (of `pipeline` only, when given)
    /// that have the step, or for a digest in the newest run that produced it.
    public func locate(_ text: String, run runText: String? = nil, pipeline: String? = nil) throws -> (RecordedRun, LineageSubject) {
        if let runText {
            let run = try run(runText)
            if let subject = try subject(text, in: run) { return (run, subject) }
            throw LineageQueryError("\(run.id) has no step, output or output digest '\(text)'\(Suggestion.didYouMean(text, in: run.steps.map(\.name)))",
                                    hint: "give a step, STEP.OUTPUT or a sha256 prefix of an output; `anneal show \(run.id)` lists them")
        }
        let candidates = try latestRuns().filter { pipeline == nil || $0.pipeline == pipeline }
        if candidates.isEmpty, let pipeline { throw unknownPipeline(pipeline) }
        var found: [(RecordedRun, LineageSubject)] = []
        for run in candidates {
            if let subject = try subject(text, in: run, digests: false) { found.append((run, subject)) }
        }
        if found.count == 1 { return found[0] }
        if found.count > 1 {
            throw LineageQueryError("'\(text)' is in several pipelines (\(found.map(\.0.pipeline).joined(separator: ", ")))",
                                    hint: "say which with --pipeline, or give a run with --run")
        }
        if let digest = try newestOutput(withDigestPrefix: text, pipelines: candidates.map(\.pipeline)) { return digest }
        let names = candidates.flatMap { $0.steps.map(\.name) }
        throw LineageQueryError("no recorded run has a step, output or output digest '\(text)'\(Suggestion.didYouMean(text, in: names))",
                                hint: "give a step, STEP.OUTPUT or a sha256 prefix of an output (4 hex digits or more); `anneal show RUN` lists them")
    }

    /// What `text` names inside `run`, if anything.
    func subject(_ text: String, in run: RecordedRun, digests: Bool = true) throws -> LineageSubject? {
        if run.step(named: text) != nil { return .step(text) }
        // `dpo[beta=0.1].model`: the step is the longest prefix before a '.' that names one.
        var index = text.endIndex
        while let dot = text[..<index].lastIndex(of: ".") {
            let step = String(text[..<dot]), output = String(text[text.index(after: dot)...])
            if let s = run.step(named: step), s.declaredOutputs[output] != nil || s.record.outputs[output] != nil {
                return .artifact(ArtifactReference(step: step, output: output))
            }
            index = dot
        }
        let instances = run.steps.filter { $0.name.hasPrefix(text + "[") }
        if instances.count == 1 { return .step(instances[0].name) }
        if instances.count > 1 {
            throw LineageQueryError("'\(text)' is a matrix step with \(instances.count) instances in \(run.id): \(instances.map(\.name).joined(separator: ", "))",
                                    hint: "give one instance name, quoted for the shell")
        }
        guard digests, let prefix = Self.digestPrefix(text) else { return nil }
        let matches = run.steps.flatMap { step in
            step.record.outputs.filter { $0.value.digest.hex.hasPrefix(prefix) }.map { ArtifactReference(step: step.name, output: $0.key) }
        }.sorted()
        if matches.count > 1, Set(matches.compactMap { run.output($0)?.digest }).count > 1 {
            throw LineageQueryError("'\(text)' is the start of several output digests in \(run.id): \(matches.map(\.description).joined(separator: ", "))",
                                    hint: "give more hex digits, or STEP.OUTPUT")
        }
        // Several steps may make byte-identical outputs; the first in plan order made it first.
        return run.steps.lazy.compactMap { step in matches.first { $0.step == step.name } }.first.map { .artifact($0) }
    }

    /// The newest run (of `pipelines`) with an output whose digest starts with `text`.
    func newestOutput(withDigestPrefix text: String, pipelines: [String]) throws -> (RecordedRun, LineageSubject)? {
        guard let prefix = Self.digestPrefix(text) else { return nil }
        var best: (RecordedRun, LineageSubject)?
        let needle = Data("\"digest\": \"\(prefix)".utf8)
        for pipeline in pipelines {
            guard let tip = try repository.tip(ref: LineageRepository.runRef(pipeline: pipeline)) else { continue }
            for commit in try history(from: tip) {
                if let best, best.0.commit.author.time >= commit.author.time { break }
                // Read the record's text first: only a run that mentions the digest is parsed.
                guard let data = try repository.readFile(commit: commit.id, path: "run.json"),
                      data.range(of: needle) != nil else { continue }
                let run = try run(commit)
                if let subject = try subject(prefix, in: run) {
                    best = (run, subject)
                    break
                }
            }
        }
        return best
    }

    /// The lowercase hex digits of a digest prefix (`sha256:` allowed); nil unless 4 to 64 of them.
    static func digestPrefix(_ text: String) -> String? {
        let hex = (text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text).lowercased()
        guard (4...64).contains(hex.count), hex.allSatisfy(\.isHexDigit) else { return nil }
        return hex
    }
}
