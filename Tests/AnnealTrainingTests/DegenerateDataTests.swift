import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealSteps
import AnnealText
import Foundation
import Testing

/// Data a model learns nothing from does not train in silence: SFT examples
/// with empty answers are left out with a warning and counted, a file of only
/// such examples fails the step, a starting model with a NaN weight fails the
/// step (which is then not cached), and an empty token folder from another step
/// is named by its reference rather than its path in the store.
@Suite(.serialized) struct DegenerateDataTests {
    static func prepare(_ w: TrainingWorkspace) throws -> BPETokenizer {
        let tokenizer = try w.trainTokenizer(["user\nsay hi\nassistant\nhi there\n", "user\nsay bye\nassistant\nbye now\n"],
                                             vocabularySize: 300)
        try w.writeRandomModel("base", tokenizer: tokenizer, layers: 1, heads: 1, width: 16, context: 24, seed: 1)
        return tokenizer
    }

    static func step(_ record: RunRecord, _ name: String) -> StepRecord? { record.steps.first { $0.name == name } }

    static let pipeline = """
        name: tune
        steps:
          sft:
            kind: sft
            with: { model: base, data: train.jsonl, max_steps: 2, batch_size: 2, validation_split: 0 }
        """

    @Test func emptyAnswersAreLeftOutWithAWarningAndCounted() throws {
        let w = try TrainingWorkspace()
        _ = try Self.prepare(w)
        try w.writeJSONL("train.jsonl", [
            ["instruction": "say hi", "output": "hi there"],
            ["instruction": "say hi", "output": ""],
            ["instruction": "say bye", "output": "bye now"],
            ["instruction": "say bye", "output": " \n "],
        ])
        try w.write("p.yaml", Self.pipeline)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(w.log(record, "sft"))")
        #expect(w.log(record, "sft").contains("warning: \(w.path("train.jsonl")): left out 2 lines, each an example with an empty answer (lines 2, 4)"),
                "\(w.log(record, "sft"))")
        #expect(Self.step(record, "sft")?.metrics["empty_answers_dropped"] == .int(2))
        #expect(Self.step(record, "sft")?.metrics["train_examples"] == .int(2))
    }

    @Test func onlyEmptyAnswersFailTheStep() throws {
        let w = try TrainingWorkspace()
        _ = try Self.prepare(w)
        try w.writeJSONL("train.jsonl", [["prompt": "say hi", "completion": ""], ["prompt": "say bye", "completion": ""]])
        try w.write("p.yaml", Self.pipeline)
        let record = try w.run()
        #expect(record.outcome == .failed)
        #expect(w.log(record, "sft").contains("\(w.path("train.jsonl")): every line (2) holds an example with an empty answer, so nothing is left to learn from"),
                "\(w.log(record, "sft"))")
    }

    @Test func aStartingModelWithANaNWeightFailsAndIsNotCached() throws {
        let w = try TrainingWorkspace()
        let tokenizer = try Self.prepare(w)
        let model = try ModelDirectory.load(from: w.path("base"))
        var weights = model.parameters.array("h.0.mlp.c_fc.weight")
        weights[5] = .nan
        model.parameters.set("h.0.mlp.c_fc.weight", weights)
        try ModelDirectory.save(model, to: w.path("base"))
        try tokenizer.write(to: URL(fileURLWithPath: w.path("base/tokenizer.json")))
        try w.writeJSONL("train.jsonl", [["instruction": "say hi", "output": "hi there"], ["instruction": "say bye", "output": "bye now"]])
        try w.write("p.yaml", Self.pipeline)
        for _ in 0..<2 {
            let record = try w.run()
            #expect(Self.step(record, "sft")?.outcome == .failed, "a second run must not find a cached result")
            #expect(w.log(record, "sft").contains("\(w.path("base")): the weight tensor 'h.0.mlp.c_fc.weight' holds nan at index 5 (1 of its"),
                    "\(w.log(record, "sft"))")
        }
    }

    @Test func anEmptyTokenFolderIsNamedByItsReference() throws {
        let w = try TrainingWorkspace()
        _ = try Self.prepare(w)
        try w.write("p.yaml", """
            name: empty
            steps:
              tokens:
                kind: shell
                with:
                  outputs: { shards: shards/ }
                  command: mkdir -p ${outputs.shards}
              pretrain:
                kind: pretrain
                with:
                  train: ${tokens.shards}
                  tokenizer: base/tokenizer.json
                  model: { layers: 1, heads: 1, width: 16, context: 8 }
                  max_steps: 1
            """)
        let record = try w.run()
        #expect(Self.step(record, "pretrain")?.outcome == .failed)
        let log = w.log(record, "pretrain")
        #expect(log.contains("the input `train: ${tokens.shards}` (step tokens, output shards) holds no tokens"), "\(log)")
        #expect(!log.contains(".anneal/"), "\(log)")
    }
}
