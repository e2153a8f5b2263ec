import AnnealModel
import AnnealSpec
import AnnealSteps
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// `ppo` with a written-down reward (the answer ends with the courteous
    /// phrase) raises the mean score of the tiny SFT policy while its KL from the
    /// reference stays bounded, and a resumed run ends with the same bytes.
    @Suite(.serialized) struct PPOTests {
        static func config(_ f: AlignmentFixture, policy: String, extra: [String: Value] = [:]) -> [String: Value] {
            var c: [String: Value] = [
                "model": .string(policy), "prompts": .string(f.path("ppo-prompts.jsonl")),
                "reward_rule": .map(["pattern": .string("I hope this helps!$")]),
                "response_length": .int(16), "temperature": .float(1), "batch_size": .int(8), "max_steps": .int(24),
                "learning_rate": .float(3e-4), "lr_scheduler_type": .string("constant"), "num_ppo_epochs": .int(2), "kl_coef": .float(0.05),
            ]
            for (k, v) in extra { c[k] = v }
            return c
        }

        static func writePrompts(_ f: AlignmentFixture) throws {
            try f.writeJSONL("ppo-prompts.jsonl", AlignmentFixture.words.map { ["prompt": AlignmentFixture.prompt($0)] })
        }

        @Test func raisesTheMeanRewardWithBoundedKL() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try Self.writePrompts(f)
            let context = try f.run(PPO(), name: "ppo", with: Self.config(f, policy: sft))
            let rows = try AlignmentFixture.rows(context.outputPath("metrics"))
            #expect(rows.count == 24)
            for key in ["objective/scores", "objective/kl", "objective/rlhf_reward", "objective/entropy", "policy/clipfrac_avg",
                        "policy/approxkl_avg", "loss/value_avg", "response_length"] {
                #expect(rows.allSatisfy { $0[key]?.double != nil }, "\(key) missing from some rows")
            }
            func mean(_ key: String, _ slice: ArraySlice<[String: Value]>) -> Double {
                slice.compactMap { $0[key]?.double }.reduce(0, +) / Double(slice.count)
            }
            let early = mean("objective/scores", rows.prefix(4)), late = mean("objective/scores", rows.suffix(4))
            #expect(late >= early + 0.3, "mean score \(early) -> \(late)")
            #expect(late >= 0.85, "late mean score \(late)")
            let kl = mean("objective/kl", rows.suffix(4))
            #expect(kl < 3, "KL per response from the reference \(kl) nats")
            let before = try TinyPolicy.courteousShare(sft), after = try TinyPolicy.courteousShare(context.outputPath("model"))
            print("ppo: mean score \(early) -> \(late), KL \(kl) nats per response, courteous share \(before) -> \(after)")
            #expect(after >= before + 0.2, "courteous share \(before) -> \(after)")
        }

        @Test func resumedRunEndsWithTheSameBytes() throws {
            let (f, sft) = try TinyPolicy.fixture()
            try Self.writePrompts(f)
            let config = Self.config(f, policy: sft, extra: ["max_steps": .int(4), "checkpoint_interval": .int(2), "kl_estimator": .string("k3"),
                                                              "adaptive_kl": .bool(true), "kl_target": .float(0.5),
                                                              "missing_eos_penalty": .float(1), "whiten_rewards": .bool(true)])
            let whole = try f.run(PPO(), name: "ppo-whole", work: "ppo-resume", with: config)
            #expect(FileManager.default.fileExists(atPath: f.path("work/ppo-resume/checkpoints/iteration-2")))
            let resumed = try f.run(PPO(), name: "ppo-resumed", work: "ppo-resume", with: config)
            let a = FileManager.default.contents(atPath: whole.outputDirectory + "/model/model.safetensors")
            let b = FileManager.default.contents(atPath: resumed.outputDirectory + "/model/model.safetensors")
            #expect(a != nil && a == b, "the weights differ after resume")
            // Every figure but the timings is the same.
            #expect(try AlignmentFixture.rowsWithoutTimings(whole.outputPath("metrics"))
                    == AlignmentFixture.rowsWithoutTimings(resumed.outputPath("metrics")))
            let rows = try AlignmentFixture.rows(resumed.outputPath("metrics"))
            let coefficients = rows.compactMap { $0["kl_coef"]?.double }
            #expect(coefficients.count == 4 && coefficients[0] == 0.05 && coefficients[3] != 0.05, "adaptive coefficient \(coefficients)")
        }
    }
}
