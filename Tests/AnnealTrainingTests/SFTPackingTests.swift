import AnnealEngine
import AnnealSpec
@testable import AnnealSteps
import Foundation
import Testing

/// `sft` with `packing: true` fills rows with several examples, still learns,
/// repeats its bytes, resumes to the same bytes after a kill, and is a
/// different step from the same configuration unpacked.
@Suite(.serialized) struct SFTPackingTests {
    /// The SFT test data, on a base model with a context of 128 so about six examples fit a row.
    static func prepare(_ w: TrainingWorkspace) throws {
        let tokenizer = try SFTTests.prepare(w)
        try w.writeRandomModel("base", tokenizer: tokenizer, layers: 2, heads: 2, width: 64, context: 128, seed: 3)
    }

    static let settings = """
        model: base, data: train.jsonl, max_steps: 24, batch_size: 2, gradient_accumulation_steps: 2,
        learning_rate: 3e-3, warmup_steps: 4, eval_interval: 12, checkpoint_interval: 3
        """

    static let pipeline = """
        name: packed
        steps:
          packed:
            kind: sft
            with: { packing: true, \(settings) }
        """

    func modelBytes(_ w: TrainingWorkspace, _ record: RunRecord, _ step: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: try w.output(record, step, "model") + "/model.safetensors"))
    }

    @Test func packingLearnsOnFewerRowsThanExamplesAndRepeatsItsBytes() throws {
        let w = try TrainingWorkspace()
        try Self.prepare(w)
        try w.write("p.yaml", Self.pipeline + """

              plain:
                kind: sft
                with: { packing: false, \(Self.settings) }
            """)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(w.log(record, "packed"))")
        let log = w.log(record, "packed")
        print(log.split(separator: "\n").filter { $0.hasPrefix("packing") || $0.hasPrefix("sft") }.joined(separator: "\n"))
        let figures = try #require(record.steps.first { $0.name == "packed" }?.metrics)
        let rows = try #require(figures["packed_rows"]?.int), perRow = try #require(figures["examples_per_row"]?.double)
        // 24 steps of 2 x 2 rows; the examples are about 20 tokens, the rows 128.
        #expect(rows == 24 * 4)
        #expect(perRow > 4, "\(perRow) examples per row")
        #expect(log.contains("packing: \(Int((perRow * Double(rows)).rounded())) examples into \(rows) rows"), "\(log)")
        #expect(record.steps.first { $0.name == "plain" }?.metrics["packed_rows"] == nil)

        let metrics = try TrainingWorkspace.metricRows(try w.output(record, "packed", "metrics"))
        let before = try #require(metrics.first { $0["step"]?.int == 0 }?["validation_loss"]?.double)
        let after = try #require(metrics.last?["validation_loss"]?.double)
        print("packed validation loss \(before) -> \(after)")
        #expect(after < before - 1, "packed validation loss \(before) -> \(after)")

        // Packing is part of the step's identity: the same settings unpacked train another model.
        #expect(try modelBytes(w, record, "packed") != modelBytes(w, record, "plain"))

        // A second workspace trains the same bytes.
        let again = try TrainingWorkspace()
        try Self.prepare(again)
        try again.write("p.yaml", Self.pipeline)
        let second = try again.run()
        #expect(second.outcome == .succeeded)
        #expect(try modelBytes(again, second, "packed") == modelBytes(w, record, "packed"))
    }

    @Test func aKilledPackedRunResumesToTheSameBytes() throws {
        let reference = try TrainingWorkspace()
        try Self.prepare(reference)
        try reference.write("p.yaml", Self.pipeline)
        // Two cores for every run: the kernels' sums depend on the thread count.
        let expected = try modelBytes(reference, try reference.run(jobs: 2), "packed")
        let w = try TrainingWorkspace()
        try Self.prepare(w)
        try w.write("p.yaml", Self.pipeline)
        try w.killRunOnceCheckpointed(jobs: 2)
        let record = try w.run(jobs: 2)
        #expect(record.outcome == .succeeded)
        #expect(w.log(record, "packed").contains("resuming from"), "the kill came before the first checkpoint: \(w.log(record, "packed"))")
        #expect(try modelBytes(w, record, "packed") == expected)
    }

    /// Next-fit in the training order: no row overflows, a row ends only
    /// when the next example would not fit, and the rows cover the order.
    @Test func rowsAreNextFitInTheTrainingOrder() {
        let lengths = (0..<37).map { 3 + ($0 * 7) % 11 }
        let packing = SFTPacking(inputLengths: lengths, capacity: 20, seed: 5)
        let order = SFTOrder(count: lengths.count, seed: 5)
        var next = 0
        for k in 0..<30 {
            let positions = packing.positions(ofRow: k)
            #expect(positions.lowerBound == next)
            next = positions.upperBound
            let examples = packing.examples(inRow: k)
            #expect(examples == positions.map(order.example(at:)))
            let fill = examples.reduce(0) { $0 + lengths[$1] }
            #expect(fill <= 20)
            #expect(fill + lengths[order.example(at: positions.upperBound)] > 20, "row \(k) could have taken the next example")
        }
        #expect(packing.rows(covering: packing.positions(ofRow: 9).upperBound) == 10)
        #expect(packing.rows(covering: packing.positions(ofRow: 9).upperBound + 1) == 11)
        // A fresh plan lays out the same rows from any starting row.
        #expect(SFTPacking(inputLengths: lengths, capacity: 20, seed: 5).examples(inRow: 17) == packing.examples(inRow: 17))
    }

    @Test func aPackedRowRestartsPositionsAndPadsWithoutTargets() {
        let a = SFTExample(tokens: [5, 6, 7], trained: [false, true, true])
        let b = SFTExample(tokens: [8, 9, 10, 11], trained: [false, false, true, true])
        let row = SFTPacking.row([a, b], length: 7)
        #expect(row.tokens == [5, 6, 8, 9, 10, 0, 0])
        #expect(row.targets == [6, 7, -1, 10, 11, -1, -1])
        #expect(row.positions == [0, 1, 0, 1, 2, 0, 1])
    }
}
