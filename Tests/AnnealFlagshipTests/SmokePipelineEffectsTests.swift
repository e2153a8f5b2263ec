import Foundation
import Testing

/// pipelines/tiny-chat-smoke.yaml end to end: every step runs, and each stage's
/// effect points the right way, by the margins stated in each expectation.
/// (At this size the models do not learn the facts; docs/tiny-chat.md gives the
/// figures of the full pipeline, where they do.)
@Suite struct SmokePipelineEffectsTests {
    static let steps = ["corpus", "tokenizer", "base", "sft", "reward", "dpo", "ppo", "evaluate"]

    func run() throws -> SmokeRun {
        let run = try SmokeRun.shared.get()
        try #require(run.status == 0, "anneal run failed:\n\(run.output)")
        return run
    }

    func figure(_ run: SmokeRun, _ key: String) throws -> Double {
        try #require(run.metric(key), "metrics.json has no \(key); it has \(run.evaluation.keys.sorted())")
    }

    @Test func everyStepRan() throws {
        let run = try run()
        for step in Self.steps {
            #expect(run.steps[step]?.outcome == .ran, "\(step): \(String(describing: run.steps[step]?.outcome))")
        }
        print("evaluation of tiny-chat-smoke:", run.evaluation.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.3f", $0.value))" }.joined(separator: " "))
    }

    /// Pretraining learns the corpus: the base model's validation perplexity is far
    /// below the vocabulary's (a uniform guess over 512 tokens is 512).
    @Test func pretrainingLearnsTheCorpus() throws {
        let run = try run()
        let base = try figure(run, "base/perplexity/perplexity")
        #expect(base < 20, "base perplexity \(base)")
    }

    /// Instruction tuning teaches the chat form: the SFT model answers and ends its
    /// turn on at least 50 points more of the held-out questions than the base model.
    @Test func instructionTuningAnswersTheQuestion() throws {
        let run = try run()
        let base = try figure(run, "base/qa/qa_ended_turn"), sft = try figure(run, "sft/qa/qa_ended_turn")
        #expect(sft >= base + 0.5, "ended_turn: base \(base), sft \(sft)")
        let baseContains = try figure(run, "base/qa/qa_contains"), sftContains = try figure(run, "sft/qa/qa_contains")
        #expect(sftContains >= baseContains, "contains: base \(baseContains), sft \(sftContains)")
    }

    /// The reward model separates the held-out preference pairs (accuracy at least 0.7: the
    /// graded pairs, plain against courteous and off-topic against right, keep the smoke
    /// model near 0.8), and DPO's implicit reward does too (positive margin, accuracy at
    /// least 0.8).
    @Test func preferencesAreLearned() throws {
        let run = try run()
        let reward = run.steps["reward"]?.metrics["eval_accuracy"]?.double ?? -1
        #expect(reward >= 0.7, "reward model eval_accuracy \(reward)")
        let margin = run.steps["dpo"]?.metrics["eval_rewards/margins"]?.double ?? -1
        let accuracy = run.steps["dpo"]?.metrics["eval_rewards/accuracies"]?.double ?? -1
        #expect(margin > 0 && accuracy >= 0.8, "dpo eval margin \(margin), accuracy \(accuracy)")
    }

    /// DPO learns the preferred style itself: its greedy answers to the held-out prompts
    /// end with the courteous sentence at least 15 points more often than the SFT model's
    /// (which says it in a quarter of its training answers). At this size PPO raises the
    /// reward without it, so only DPO is held to it here; docs/tiny-chat.md gives the full
    /// pipeline's shares, where PPO learns it too. PPO moves away from the SFT model
    /// (per-token KL on its own samples above 0.05).
    @Test func alignmentLearnsTheCourteousEnding() throws {
        let run = try run()
        let sft = try #require(run.share(of: "sft", suite: "reward", endingWith: "I hope this helps!"), "samples.jsonl has no sft reward answers")
        let dpo = try #require(run.share(of: "dpo", suite: "reward", endingWith: "I hope this helps!"), "samples.jsonl has no dpo reward answers")
        #expect(dpo >= sft + 0.15, "courteous ending: sft \(sft), dpo \(dpo)")
        let kl = try figure(run, "ppo/kl/kl_per_token")
        #expect(kl > 0.05, "ppo per-token KL from sft \(kl)")
    }

    /// Alignment moves answers towards the preferred style, as the reward model sees it:
    /// DPO's and PPO's mean reward on the held-out prompts is above the SFT model's by at
    /// least 0.2, and each wins more than half of the comparisons with the SFT model.
    @Test func alignmentBeatsSFTOnRewardAndWinRate() throws {
        let run = try run()
        let sft = try figure(run, "sft/reward/reward_mean")
        for model in ["dpo", "ppo"] {
            let reward = try figure(run, "\(model)/reward/reward_mean")
            let win = try figure(run, "\(model)/win-rate/win_rate")
            #expect(reward >= sft + 0.2, "\(model) reward_mean \(reward), sft \(sft)")
            #expect(win > 0.5, "\(model) win rate against sft \(win)")
        }
    }
}
