import AnnealEngine
import AnnealSpec
import Foundation
import Testing

/// Through the engine, a diverging pretrain fails the run, is not cached (the
/// next run tries again) and its work folder's metrics hold only finite rows.
@Suite(.serialized) struct DivergencePipelineTests {
    @Test func aDivergingStepFailsAndIsNotCached() throws {
        let w = try TrainingWorkspace()
        try PretrainTests.prepare(w, steps: 30)
        try w.write("p.yaml", PretrainTests.pipeline(steps: 30).replacingOccurrences(of: "learning_rate: 3e-3", with: "learning_rate: 9.5")
            .replacingOccurrences(of: "warmup_steps: 5", with: "warmup_steps: 0"))
        let (status, output) = try w.anneal(["run", "p.yaml", "--jobs", "1"])
        #expect(status == 1, "\(output)")
        #expect(output.contains("step 'base' diverged at optimiser step"), "\(output)")
        #expect(output.contains("lower learning_rate (now 9.5)"), "\(output)")
        let again = try w.run()
        #expect(again.outcome == .failed)
        #expect(again.steps.first { $0.name == "base" }?.outcome == .failed, "a diverged step was cached")
        // Rows written before the failure are finite numbers.
        let work = w.path(".anneal/work")
        for folder in try FileManager.default.contentsOfDirectory(atPath: work) {
            guard let text = try? String(contentsOfFile: "\(work)/\(folder)/metrics.jsonl", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let row = try JSONReader.parse(String(line))
                if let loss = row["loss"] { #expect(loss.double?.isFinite == true, "\(line)") }
            }
        }
    }
}
