@testable import AnnealEngine
import AnnealLineage
import AnnealSpec
import Foundation
import Testing

/// `anneal metrics` and the metric deltas of `anneal diff`, over runs recorded
/// with metrics (shell steps report none, so these records are written directly).
@Suite struct LineageMetricsTests {
    @Test func metricsAppearSideBySideAndAsDeltas() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        let plan = try ws.plan("chain.yaml")
        let recorder = try LineageRecorder(workspace: ws.workspace)
        for (number, loss) in [(1, 0.5), (2, 0.25)] {
            let started = Date(timeIntervalSince1970: 1_800_000_000 + Double(number) * 60)
            let steps = plan.steps.map { step -> StepRecord in
                var record = StepRecord(name: step.name, kind: step.kind, outcome: .ran, reasons: [])
                if step.name == "final" { record.metrics = .map(["loss": .float(loss), "tokens": .int(100 * number)]) }
                return record
            }
            try recorder.record(RunRecord(pipeline: "chain", number: number, started: started, ended: started.addingTimeInterval(1),
                                          outcome: .succeeded, params: plan.params, steps: steps), plan: plan)
        }
        let runs = try ws.runs
        let comparison = try RunComparison(old: runs.run("chain#1"), new: runs.run("chain#2"), repository: runs.repository)
        #expect(comparison.metrics.map(\.metric) == ["loss", "tokens"])
        #expect(comparison.metrics.map(\.delta) == [-0.25, 100])

        let table = try ws.anneal(["metrics"])
        #expect(table.status == 0)
        let rows = table.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows == [["step", "metric", "chain#1", "chain#2"], ["final", "loss", "0.5", "0.25"], ["final", "tokens", "100", "200"]])
        let diff = try ws.anneal(["diff", "chain#1", "chain#2"])
        #expect(diff.output.contains("final  loss    0.5      0.25     -0.25"))
    }
}
