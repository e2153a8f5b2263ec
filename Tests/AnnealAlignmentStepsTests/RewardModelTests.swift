import AnnealModel
import AnnealSpec
import AnnealSteps
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// `reward-model` learns the toy preference (the courteous ending wins) well
    /// enough to rank held-out pairs it never saw, and writes a model folder whose
    /// `score` head reproduces that ranking.
    @Suite(.serialized) struct RewardModelTests {
        @Test func reachesHighHeldOutAccuracyOnTheToyPreference() throws {
            let f = try AlignmentFixture()
            try f.writeRandomModel("base", seed: 5)
            let train = Array(AlignmentFixture.words.prefix(12)), heldOut = Array(AlignmentFixture.words.suffix(4))
            try f.writePreferences("train.jsonl", words: train)
            try f.writePreferences("held.jsonl", words: heldOut)
            let context = try f.run(RewardModel(), name: "rm", with: [
                "model": .string(f.path("base")), "data": .string(f.path("train.jsonl")), "validation": .string(f.path("held.jsonl")),
                "max_steps": .int(40), "batch_size": .int(4), "learning_rate": .float(3e-3), "eval_interval": .int(40),
            ])
            let rows = try AlignmentFixture.rows(context.outputPath("metrics"))
            #expect(rows.count == 40)
            let accuracy = try #require(rows.last?["eval_accuracy"]?.double)
            let margin = try #require(rows.last?["eval_margin"]?.double)
            // 4 held-out words never trained on: every pair must rank right, by a clear margin.
            print("reward-model: held-out accuracy \(accuracy), margin \(margin)")
            #expect(accuracy == 1.0, "held-out accuracy \(accuracy)")
            #expect(margin > 1.0, "held-out margin \(margin)")
            let first = try #require(rows.first?["loss"]?.double), last = try #require(rows.last?["loss"]?.double)
            #expect(last < first * 0.5, "loss \(first) -> \(last)")

            // The saved folder has the `score` head and scores as the step measured.
            let saved = try ModelDirectory.load(from: context.outputPath("model"))
            #expect(saved.hasScalarHead)
            let template = try ChatTemplate(tokenizer: f.tokenizer)
            let word = heldOut[0]
            func score(_ answer: String) throws -> Float {
                let tokens = Array(template.encode([ChatMessage(role: "user", content: AlignmentFixture.prompt(word)),
                                                    ChatMessage(role: "assistant", content: answer)]).tokens.dropLast())
                try saved.forwardScalar(tokens: tokens, batch: 1, length: tokens.count)
                return saved.scalars(at: [tokens.count - 1])[0]
            }
            #expect(try score(AlignmentFixture.courteousAnswer(word)) > score(AlignmentFixture.plainAnswer(word)))
        }
    }
}
