import AnnealSpec
import Foundation

/// The last known state of each step of a pipeline in this workspace: its
/// fingerprint components, outputs and log. `status` and the reasons for a
/// rerun compare against it.
public struct PipelineState: Sendable {
    public var runs: Int = 0
    public var steps: [String: StepRecord] = [:]

    static func path(_ workspace: Workspace, _ pipeline: String) -> String {
        "\(workspace.dot)/state/\(pipeline).json"
    }

    public static func load(_ workspace: Workspace, pipeline: String) -> PipelineState {
        var state = PipelineState()
        guard let text = try? String(contentsOfFile: path(workspace, pipeline), encoding: .utf8),
              let v = try? JSONReader.parse(text) else { return state }
        state.runs = v["runs"]?.int ?? 0
        for (name, s) in v["steps"]?.map ?? [:] {
            if let r = StepRecord(s) { state.steps[name] = r }
        }
        return state
    }

    public func save(_ workspace: Workspace, pipeline: String) throws {
        let v = Value.map(["runs": .int(runs), "steps": .map(steps.mapValues(\.value))])
        try AtomicFile.write(CanonicalJSON.encodePretty(v) + "\n", to: Self.path(workspace, pipeline))
    }
}
