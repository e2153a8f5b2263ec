@testable import AnnealSteps
import AnnealEngine
import AnnealSpec
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// A training step whose learning rate makes it diverge fails with a
    /// message that names the step, the optimiser step, the figure and what to
    /// try; it writes no model, and its work folder keeps a checkpoint from
    /// before the divergence.
    @Suite struct DivergenceTests {
        /// Runs `implementation` and returns the message it failed with.
        static func failure(_ implementation: any StepImplementation, _ f: AlignmentFixture, name: String,
                            with config: [String: Value]) throws -> String {
            do {
                try f.run(implementation, name: name, with: config)
            } catch let error as StepFailure {
                return error.message
            }
            Issue.record("\(name) trained at a diverging learning rate without failing")
            return ""
        }

        /// What every divergence failure must say and leave behind.
        static func checkFailure(_ message: String, _ f: AlignmentFixture, name: String, metric: String) throws {
            print("\(name): \(message)")
            #expect(message.contains("step '\(name)' diverged at"), "\(message)")
            #expect(message.contains(metric), "\(message)")
            #expect(message.contains("learning_rate (now 9.5)"), "\(message)")
            #expect(message.contains("not cached"), "\(message)")
            #expect(!FileManager.default.fileExists(atPath: f.path("outputs/\(name)/model/model.safetensors")))
            #expect(!FileManager.default.fileExists(atPath: f.path("outputs/\(name)/metrics.jsonl")))
            // The checkpoint left is one written before the figure left its limit.
            let latest = try String(contentsOfFile: f.path("work/\(name)/checkpoints/LATEST"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let saved = Int(latest.split(separator: "-").last ?? "") ?? -1
            let failedAt = Int(message.split(separator: ":").first?.split(separator: " ").last ?? "") ?? -1
            #expect(saved >= 1 && saved < failedAt, "checkpoint \(latest), failed at \(failedAt)")
        }

        static let diverging: [String: Value] = [
            "learning_rate": .float(9.5), "lr_scheduler_type": .string("constant"), "warmup_steps": .int(0),
            "checkpoint_interval": .int(1), "max_steps": .int(40),
        ]

        static func merged(_ a: [String: Value], _ b: [String: Value]) -> [String: Value] { a.merging(b) { $1 } }

        /// Each pair twice, once each way round: no scores separate them, so
        /// the best loss is ln 2 and scores that explode make it explode too
        /// (on separable pairs a huge learning rate only drives the loss to 0).
        static func writeContradictoryPairs(_ f: AlignmentFixture) throws {
            try f.writeJSONL("contradictory-pairs.jsonl", AlignmentFixture.words.flatMap { word in
                [["prompt": AlignmentFixture.prompt(word), "chosen": AlignmentFixture.courteousAnswer(word), "rejected": AlignmentFixture.plainAnswer(word)],
                 ["prompt": AlignmentFixture.prompt(word), "chosen": AlignmentFixture.plainAnswer(word), "rejected": AlignmentFixture.courteousAnswer(word)]]
            })
        }

        @Test func pretrain() throws {
            let f = try AlignmentFixture()
            let text = (0..<200).map { i in ["text": AlignmentFixture.courteousAnswer(AlignmentFixture.words[i % 16])] }
            try f.writeJSONL("text.jsonl", text)
            let message = try Self.failure(Pretrain(), f, name: "base", with: Self.merged(Self.diverging, [
                "train": .string(f.path("text.jsonl")), "tokenizer": .string(f.path("tokenizer.json")),
                "model": .map(["layers": .int(1), "heads": .int(2), "width": .int(32), "context": .int(16)]), "batch_size": .int(4),
            ]))
            try Self.checkFailure(message, f, name: "base", metric: "loss")
        }

        @Test func sft() throws {
            let (f, sft) = try TinyPolicy.fixture()
            let message = try Self.failure(SFT(), f, name: "sft-diverging", with: Self.merged(Self.diverging, [
                "model": .string(sft), "data": .string(f.path("sft.jsonl")), "batch_size": .int(4),
            ]))
            try Self.checkFailure(message, f, name: "sft-diverging", metric: "loss")
        }

        @Test func rewardModel() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try Self.writeContradictoryPairs(f)
            let message = try Self.failure(RewardModel(), f, name: "reward-diverging", with: Self.merged(Self.diverging, [
                "model": .string(sft), "data": .string(f.path("contradictory-pairs.jsonl")), "batch_size": .int(4),
            ]))
            try Self.checkFailure(message, f, name: "reward-diverging", metric: "loss")
        }

        @Test func dpo() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try Self.writeContradictoryPairs(f)
            let message = try Self.failure(DPO(), f, name: "dpo-diverging", with: Self.merged(Self.diverging, [
                "model": .string(sft), "data": .string(f.path("contradictory-pairs.jsonl")), "batch_size": .int(4),
            ]))
            try Self.checkFailure(message, f, name: "dpo-diverging", metric: "loss")
        }

        @Test func ppo() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try f.writeJSONL("diverging-prompts.jsonl", AlignmentFixture.words.map { ["prompt": AlignmentFixture.prompt($0)] })
            let message = try Self.failure(PPO(), f, name: "ppo-diverging", with: Self.merged(Self.diverging, [
                "model": .string(sft), "prompts": .string(f.path("diverging-prompts.jsonl")),
                "reward_rule": .map(["pattern": .string("I hope this helps!$")]), "response_length": .int(12), "batch_size": .int(4),
            ]))
            try Self.checkFailure(message, f, name: "ppo-diverging", metric: "KL to the reference per response token")
        }

        /// A figure that is not finite is written as text, never as a number.
        @Test func theLogWritesNaNAsText() throws {
            let f = try AlignmentFixture()
            let context = StepContext(step: "s", kind: "dpo", config: .map([:]), outputs: [], outputDirectory: f.path("out"),
                                      workDirectory: f.path("work/s"), progressFile: f.path("progress"), metricsFile: f.path("metrics.json"))
            let log = try TrainingLog(context: context, totalSteps: 2, resumedStep: 0)
            log.record(step: 1, ["loss": .nan, "grad_norm": .infinity, "margin": 0.5], shown: ["loss"])
            try log.publish(to: f.path("metrics.jsonl"))
            let row = try #require(try AlignmentFixture.rows(f.path("metrics.jsonl")).first)
            #expect(row["loss"] == .string("nan"))
            #expect(row["grad_norm"] == .string("inf"))
            #expect(row["margin"] == .float(0.5))
        }
    }
}
