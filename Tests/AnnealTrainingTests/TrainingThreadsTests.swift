import AnnealSpec
import Foundation
import Testing

/// A training step uses every core the runner gives it unless its
/// `resources.cpus` says otherwise: run through the real `anneal` binary, the
/// step records the thread count it set for the kernels and OpenBLAS.
@Suite(.serialized) struct TrainingThreadsTests {
    /// The `threads` metric and the log of the pretrain step `base` after `anneal run --jobs JOBS`.
    static func run(jobs: Int, resources: String?) throws -> (threads: Int?, log: String) {
        let w = try TrainingWorkspace()
        try PretrainTests.prepare(w, steps: 3)
        var pipeline = PretrainTests.pipeline(steps: 3)
        if let resources { pipeline = pipeline.replacingOccurrences(of: "    kind: pretrain\n", with: "    kind: pretrain\n    resources: \(resources)\n") }
        try w.write("p.yaml", pipeline)
        let (status, output) = try w.anneal(["run", "p.yaml", "--jobs", String(jobs)])
        #expect(status == 0, "\(output)")
        let record = try JSONReader.parse(String(contentsOfFile: w.path(".anneal/runs/pre/1.json"), encoding: .utf8))
        let step = record["steps"]?.list?.first { $0["name"]?.string == "base" }
        let log = (step?["log"]?.string).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        return (step?["metrics"]?["threads"]?.int, log)
    }

    @Test func aTrainingStepTakesEveryCoreOfTheRun() throws {
        let (threads, log) = try Self.run(jobs: 2, resources: nil)
        #expect(threads == 2, "\(log)")
        #expect(log.contains("2 threads"), "\(log)")
    }

    @Test func resourcesCpusLimitsTheThreads() throws {
        let (threads, log) = try Self.run(jobs: 2, resources: "{ cpus: 1 }")
        #expect(threads == 1, "\(log)")
        #expect(log.contains("1 thread\n"), "\(log)")
    }
}
