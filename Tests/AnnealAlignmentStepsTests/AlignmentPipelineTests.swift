import AnnealEngine
import AnnealSpec
import AnnealSteps
import AnnealTestSupport
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// The alignment kinds run through the real engine and `anneal` binary:
    /// reward model, DPO and PPO (scored by that reward model) from the tiny SFT
    /// policy, then `evaluate` with the reward, win-rate and kl suites.
    @Suite(.serialized) struct AlignmentPipelineTests {
        static let pipeline = """
            name: align
            steps:
              rm:
                kind: reward-model
                with: { model: sft, data: prefs.jsonl, validation_split: 0.25, max_steps: 30, batch_size: 4, learning_rate: 3e-3, eval_interval: 30 }
              dpo:
                kind: dpo
                with: { model: sft, data: prefs.jsonl, max_steps: 20, batch_size: 4, learning_rate: 2e-3, lr_scheduler_type: constant }
              ppo:
                kind: ppo
                with:
                  model: sft
                  reward_model: ${rm.model}
                  prompts: prompts.jsonl
                  max_steps: 3
                  batch_size: 8
                  response_length: 16
                  learning_rate: 1e-3
              eval:
                kind: evaluate
                with:
                  models: { sft: sft, dpo: "${dpo.model}", ppo: "${ppo.model}" }
                  reward: { prompts: prompts.jsonl, reward_model: "${rm.model}", max_new_tokens: 20 }
                  win_rate: { prompts: prompts.jsonl, reward_model: "${rm.model}", baseline: sft, max_new_tokens: 20 }
                  kl: { prompts: prompts.jsonl, reference: sft, max_new_tokens: 20 }
            """

        @Test func alignmentKindsRunThroughTheEngineAndEvaluateComparesThem() throws {
            let (f, sft) = try TinyPolicy.fixture()
            let root = f.path("pipeline")
            let fm = FileManager.default
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            try fm.copyItem(atPath: sft, toPath: root + "/sft")
            try f.writePreferences("pipeline/prefs.jsonl")
            try f.writeJSONL("pipeline/prompts.jsonl", AlignmentFixture.words.map { ["prompt": AlignmentFixture.prompt($0)] })
            try Self.pipeline.write(toFile: root + "/p.yaml", atomically: true, encoding: .utf8)

            let plan = try Compiler(catalog: StepKinds.catalog).compile(path: root + "/p.yaml", overrides: ParamOverrides())
            var options = RunOptions()
            options.jobs = 1
            let record = try Runner(workspace: try Workspace(root: root), plan: plan, options: options, executable: Self.anneal,
                                    display: ProgressDisplay(interactive: false, quiet: true)).run()
            let logs = record.steps.map { s in "\(s.name): \(s.log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "")" }
            #expect(record.outcome == .succeeded, "\(logs.joined(separator: "\n"))")
            guard record.outcome == .succeeded, let eval = record.steps.first(where: { $0.name == "eval" }),
                  let digest = eval.outputs["metrics"] else { return }
            let metrics = try Workspace(root: root).store.readablePath(digest)
            let rows = try JSONReader.parse(String(contentsOfFile: metrics, encoding: .utf8)).list ?? []
            func metric(_ model: String, _ name: String) -> Double? {
                rows.first { $0["model"]?.string == model && $0["metric"]?.string == name }?["value"]?.double
            }
            for model in ["sft", "dpo", "ppo"] {
                for name in ["reward_mean", "win_rate", "kl_per_token", "kl_k3_per_token"] {
                    #expect(metric(model, name) != nil, "no \(name) for \(model)")
                }
            }
            // The baseline against itself ties on every prompt; a model from itself has no divergence.
            #expect(metric("sft", "win_rate") == 0.5)
            #expect(metric("sft", "kl_per_token") == 0)
            // DPO's greedy answers take the courteous form the reward model prefers.
            let dpoReward = try #require(metric("dpo", "reward_mean")), sftReward = try #require(metric("sft", "reward_mean"))
            #expect(dpoReward > sftReward, "reward \(sftReward) -> \(dpoReward)")
            #expect((metric("dpo", "win_rate") ?? 0) > 0.5)
            #expect((metric("dpo", "kl_per_token") ?? 0) > 0)
        }

        static var anneal: String { PackagePaths.anneal }
    }
}
