import AnnealSpec
import Foundation

/// Why a step ran (or was cached, or would have run) in a recorded run: its
/// recorded outcome and reasons, and its fingerprint compared field by field with
/// the last earlier run of the same pipeline in which the step ran or was cached
/// (the run whose outputs the cache would have offered).
public struct StepRunExplanation: Sendable {
    /// The run asked about.
    public let run: RecordedRun
    /// The step in that run.
    public let step: RecordedStep
    /// The last earlier run where the step ran or was cached; nil when there is none.
    public let previousRun: RecordedRun?
    /// The step in `previousRun`.
    public let previousStep: RecordedStep?
    /// `Explanation.differences` between the two; empty when the fingerprints are equal
    /// or there is nothing to compare.
    public let differences: [String]

    /// Explains step `name` of `run`, reading earlier runs from `runs`.
    public init(step name: String, in run: RecordedRun, runs: RecordedRuns) throws {
        guard let step = run.step(named: name) else {
            throw LineageQueryError("\(run.id) has no step '\(name)'\(Suggestion.didYouMean(name, in: run.steps.map(\.name)))",
                                    hint: "`anneal show \(run.id)` lists its steps")
        }
        self.run = run
        self.step = step
        let needle = Data("\"name\": \(CanonicalJSON.quote(name))".utf8)
        var found: (RecordedRun, RecordedStep)?
        for commit in try runs.earlier(than: run) {
            // Only a record that mentions the step is parsed.
            guard let data = try runs.repository.readFile(commit: commit.id, path: "run.json"), data.range(of: needle) != nil else { continue }
            let earlier = try runs.run(commit)
            if let s = earlier.step(named: name), s.record.components != nil, s.record.outcome == .ran || s.record.outcome == .cached {
                found = (earlier, s)
                break
            }
        }
        previousRun = found?.0
        previousStep = found?.1
        if let before = found?.1.record.components, let now = step.record.components {
            differences = Explanation.differences(previous: before, current: now, sources: step.inputLabels)
        } else {
            differences = []
        }
    }
}
