import AnnealModel
import AnnealSpec
import AnnealSteps
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// `dpo` moves the tiny SFT policy towards the chosen (courteous) answers:
    /// implicit-reward margins start at 0 (policy = reference) and held-out
    /// accuracy ends at 0.75 or more (chance: 0.5), sampled answers take the
    /// courteous form at least 25 points more often, the SFT term holds up the
    /// chosen log-probability, and a resumed run ends with the same bytes.
    @Suite(.serialized) struct DPOTests {
        static let train = Array(AlignmentFixture.words.prefix(12)), heldOut = Array(AlignmentFixture.words.suffix(4))

        static func config(_ f: AlignmentFixture, policy: String, extra: [String: Value] = [:]) -> [String: Value] {
            var c: [String: Value] = [
                "model": .string(policy), "data": .string(f.path("dpo-train.jsonl")), "validation": .string(f.path("dpo-held.jsonl")),
                "beta": .float(0.1), "max_steps": .int(30), "batch_size": .int(4), "learning_rate": .float(2e-4),
                "lr_scheduler_type": .string("constant"), "eval_interval": .int(30),
            ]
            for (k, v) in extra { c[k] = v }
            return c
        }

        @Test func raisesRewardAccuracyAndTheShareOfPreferredAnswers() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try f.writePreferences("dpo-train.jsonl", words: Self.train)
            try f.writePreferences("dpo-held.jsonl", words: Self.heldOut)
            let context = try f.run(DPO(), name: "dpo", with: Self.config(f, policy: sft))
            let rows = try AlignmentFixture.rows(context.outputPath("metrics"))
            #expect(rows.count == 30)
            for key in ["rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected"] {
                #expect(rows.allSatisfy { $0[key]?.double != nil }, "\(key) missing from some rows")
            }
            // Step 1 runs the policy equal to the reference: the implicit rewards are 0 up to rounding (batching differs).
            let first = try #require(rows.first?["rewards/margins"]?.double)
            let held = try #require(rows.last?["eval_rewards/accuracies"]?.double)
            let margin = try #require(rows.last?["eval_rewards/margins"]?.double)
            #expect(abs(first) < 1e-4, "first-step margin \(first)")
            // Held-out pairs (words never trained on): chance is 0.5.
            #expect(held >= 0.75, "held-out rewards/accuracies \(held)")
            #expect(margin > 0.1, "held-out rewards/margins \(margin)")

            let before = try TinyPolicy.courteousShare(sft), after = try TinyPolicy.courteousShare(context.outputPath("model"))
            print("dpo: first-step margin \(first), held-out rewards/accuracies \(held), margins \(margin), courteous share \(before) -> \(after)")
            #expect(after >= before + 0.25, "courteous share \(before) -> \(after)")
            #expect(after >= 0.8, "courteous share after DPO \(after)")
        }

        /// At a learning rate where plain DPO lowers the chosen answers' log-probability
        /// until generation breaks, the SFT term (`rpo_alpha`) holds it up.
        @Test func sftTermKeepsTheChosenLogProbabilityFromFalling() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try f.writePreferences("dpo-train.jsonl", words: Self.train)
            try f.writePreferences("dpo-held.jsonl", words: Self.heldOut)
            func chosenLogProbabilities(_ rpo: Double) throws -> (first: Double, last: Double, share: Double) {
                let c = try f.run(DPO(), name: "dpo-rpo-\(rpo)", with: Self.config(f, policy: sft, extra: [
                    "learning_rate": .float(5e-4), "rpo_alpha": .float(rpo)]))
                let rows = try AlignmentFixture.rows(c.outputPath("metrics"))
                return (try #require(rows.first?["logps/chosen"]?.double), try #require(rows.last?["logps/chosen"]?.double),
                        try TinyPolicy.courteousShare(c.outputPath("model")))
            }
            let plain = try chosenLogProbabilities(0), anchored = try chosenLogProbabilities(1)
            print("dpo at lr 5e-4: logps/chosen \(plain.first) -> \(plain.last), share \(plain.share) without the SFT term; "
                  + "\(anchored.first) -> \(anchored.last), share \(anchored.share) with rpo_alpha 1")
            #expect(plain.last < plain.first - 2, "without the SFT term logps/chosen \(plain.first) -> \(plain.last)")
            #expect(anchored.last > anchored.first - 0.5, "with rpo_alpha 1 logps/chosen \(anchored.first) -> \(anchored.last)")
            #expect(anchored.share >= plain.share + 0.3, "courteous share \(plain.share) without, \(anchored.share) with the SFT term")
        }

        /// With LoRA and `merge_lora: false` only adapters train, and the output
        /// is an adapter folder that loads on its base and moves the preference.
        @Test func loraWritesAnAdapterThatLearnsThePreference() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try f.writePreferences("dpo-train.jsonl", words: Self.train)
            try f.writePreferences("dpo-held.jsonl", words: Self.heldOut)
            let context = try f.run(DPO(), name: "dpo-lora", with: Self.config(f, policy: sft, extra: [
                "finetuning_type": .string("lora"), "merge_lora": .bool(false), "lora_r": .int(4),
                "lora_target": .list([.string("c_attn"), .string("c_fc")]), "learning_rate": .float(3e-3)]))
            let output = context.outputPath("model")
            #expect(FileManager.default.fileExists(atPath: output + "/adapter_config.json"))
            let adapted = try TrainedModel.load(output), base = try TrainedModel.load(sft)
            #expect(adapted.network.lora?.rank == 4)
            // The frozen base weights are the SFT model's, bit for bit.
            #expect(adapted.network.parameters.array("h.0.mlp.c_fc.weight") == base.network.parameters.array("h.0.mlp.c_fc.weight"))
            let rows = try AlignmentFixture.rows(context.outputPath("metrics"))
            let held = try #require(rows.last?["eval_rewards/accuracies"]?.double)
            #expect(held >= 0.75, "held-out rewards/accuracies with LoRA \(held)")
            print("dpo lora: held-out rewards/accuracies \(held), margins \(rows.last?["eval_rewards/margins"]?.double ?? .nan)")
        }

        @Test func resumedRunEndsWithTheSameBytes() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try f.writePreferences("dpo-train.jsonl", words: Self.train)
            try f.writePreferences("dpo-held.jsonl", words: Self.heldOut)
            let config = Self.config(f, policy: sft, extra: ["max_steps": .int(8), "checkpoint_interval": .int(4), "loss_type": .string("ipo"),
                                                              "rpo_alpha": .float(0.5)])
            let whole = try f.run(DPO(), name: "dpo-whole", work: "dpo-resume", with: config)
            // The work folder now holds the step-4 checkpoint and the reference cache; a second run continues from them.
            #expect(FileManager.default.fileExists(atPath: f.path("work/dpo-resume/checkpoints/step-4")))
            #expect(FileManager.default.fileExists(atPath: f.path("work/dpo-resume/reference-logps.bin")))
            let resumed = try f.run(DPO(), name: "dpo-resumed", work: "dpo-resume", with: config)
            let a = FileManager.default.contents(atPath: whole.outputDirectory + "/model/model.safetensors")
            let b = FileManager.default.contents(atPath: resumed.outputDirectory + "/model/model.safetensors")
            #expect(a != nil && a == b, "the weights differ after resume")
            // Every figure but the timings is the same.
            #expect(try AlignmentFixture.rowsWithoutTimings(whole.outputPath("metrics"))
                    == AlignmentFixture.rowsWithoutTimings(resumed.outputPath("metrics")))
            let rows = try AlignmentFixture.rows(resumed.outputPath("metrics"))
            #expect(rows.compactMap { $0["step"]?.int } == Array(1...8))
            #expect(rows.allSatisfy { $0["sft_loss"]?.double != nil })
        }
    }
}
