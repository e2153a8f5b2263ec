import AnnealFiles
import AnnealSpec
import Foundation

/// The last known state of each step of a pipeline in this workspace: its
/// fingerprint components, outputs and log. `status` and the reasons for a
/// rerun compare against it.
public struct PipelineState: Sendable {
    public var runs: Int = 0
    public var steps: [String: StepRecord] = [:]
    /// Set when the state file was unreadable and this state was rebuilt from
    /// the run records and the lineage: what was wrong, for the person to see.
    public var recovery: String?

    static func path(_ workspace: Workspace, _ pipeline: String) -> String {
        "\(workspace.dot)/state/\(pipeline).json"
    }

    public static func load(_ workspace: Workspace, pipeline: String) -> PipelineState {
        let file = path(workspace, pipeline)
        guard let data = FileManager.default.contents(atPath: file) else { return PipelineState() }
        guard let text = String(data: data, encoding: .utf8), let v = try? JSONReader.parse(text),
              let runs = v["runs"]?.int, runs >= 0, let steps = v["steps"]?.map else {
            // Starting again from zero would hand out run numbers the lineage
            // already has (two `base#1`): the counters come back from the records.
            var state = rebuilt(workspace, pipeline: pipeline)
            state.recovery = "warning: \(file) is corrupt (not the JSON Anneal writes); rebuilt it from the run records "
                + "and the lineage: \(state.runs) runs so far"
            return state
        }
        var state = PipelineState()
        state.runs = runs
        for (name, s) in steps {
            if let r = StepRecord(s) { state.steps[name] = r }
        }
        return state
    }

    /// The state the runs on record imply: the highest run number in
    /// `.anneal/runs` or the lineage, and each step's last ran or cached record.
    static func rebuilt(_ workspace: Workspace, pipeline: String) -> PipelineState {
        var state = PipelineState()
        let history = RunHistory(workspace: workspace)
        let numbers = history.numbers(pipeline)
        for n in numbers {
            for s in history.load(pipeline, n)?["steps"]?.list ?? [] {
                guard let r = StepRecord(s), r.outcome == .ran || r.outcome == .cached else { continue }
                state.steps[r.name] = r
            }
        }
        let recorded = (try? RecordedRuns(workspace: workspace).log(pipeline: pipeline, limit: 1).first?.message?.number) ?? nil
        state.runs = max(numbers.last ?? 0, recorded ?? 0)
        return state
    }

    public func save(_ workspace: Workspace, pipeline: String) throws {
        let v = Value.map(["runs": .int(runs), "steps": .map(steps.mapValues(\.value))])
        try AtomicFile.write(CanonicalJSON.encodePretty(v) + "\n", to: Self.path(workspace, pipeline))
    }
}
