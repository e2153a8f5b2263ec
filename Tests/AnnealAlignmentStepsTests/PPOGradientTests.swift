@testable import AnnealSteps
import AnnealAlignment
import AnnealModel
import AnnealSpec
import Testing

extension AlignmentStepsSuite {
    /// PPO's updates reach the GPT as per-token NLL weights (policy) and
    /// scalar-head gradients at each response token's prediction position
    /// (value); both give the gradient of the averaged clipped losses, checked
    /// against central finite differences with some tokens clipped and some not.
    @Suite struct PPOGradientTests {
        static func responses(_ f: AlignmentFixture) throws -> [PPOResponse] {
            let template = try ChatTemplate(tokenizer: f.tokenizer)
            return ["apple", "river"].map { word in
                let prompt = template.prompt([ChatMessage(role: "user", content: AlignmentFixture.prompt(word))])
                let answer = f.tokenizer.encode(AlignmentFixture.courteousAnswer(word)).map { Int32($0) } + [template.endOfTurn]
                return PPOResponse(prompt: prompt, response: answer, endedTurn: true)
            }
        }

        @Test func policyGradientMatchesFiniteDifferences() throws {
            let f = try AlignmentFixture()
            let model = try GPT(config: GPTConfig(layers: 1, heads: 2, width: 16, context: 48, vocabulary: f.tokenizer.vocabularySize), seed: 4)
            var rollout = try Self.responses(f)
            let length = rollout.map { $0.tokens.count - 1 }.max()!
            let (current, _) = try PPO.responseLogProbabilities(model, rollout, length: length, entropy: false)
            // log π − log π_old of ±0.5 puts a ratio outside 1 ± 0.2 (clipped when the advantage pushes it further), ±0.05 inside.
            let shifts = [0.05, 0.5, -0.5, -0.05]
            for i in rollout.indices {
                rollout[i].oldLogProbabilities = current[i].enumerated().map { t, lp in lp - shifts[(t + i) % shifts.count] }
                rollout[i].advantages = current[i].indices.map { t in t % 3 == 0 ? -0.8 : 1.1 }
            }
            let settings = PPO.Settings(try ConfigurationDecoder.decode(
                PPO.Configuration.self, from: .map(["model": .string("m"), "prompts": .string("p"), "reward_model": .string("r")]),
                schema: PPO.descriptor.schema))
            func loss() throws -> Double {
                let (logps, _) = try PPO.responseLogProbabilities(model, rollout, length: length, entropy: false)
                var total = 0.0, n = 0.0
                for (r, lp) in zip(rollout, logps) {
                    for t in lp.indices {
                        total += settings.policyLoss.evaluate(logProbability: lp[t], oldLogProbability: r.oldLogProbabilities[t],
                                                              advantage: r.advantages[t]).loss
                        n += 1
                    }
                }
                return total / n
            }
            model.parameters.zeroGradients()
            var figures = PPOUpdateFigures()
            try PPO.addPolicyGradients(model, rollout, length: length, settings: settings, figures: &figures)
            #expect(figures.clipped > 0 && figures.clipped < figures.tokens, "clipped \(figures.clipped) of \(figures.tokens) tokens")
            let checked = try FiniteDifferenceCheck.largestGradients(model, tensors: ["wte.weight", "h.0.attn.c_attn.weight", "h.0.mlp.c_proj.bias"],
                                         analytic: model.parameters.gradients.values, loss: loss)
            #expect(checked == 9)
        }

        @Test func valueGradientMatchesFiniteDifferences() throws {
            let f = try AlignmentFixture()
            let model = try GPT(config: GPTConfig(layers: 1, heads: 2, width: 16, context: 48, vocabulary: f.tokenizer.vocabularySize),
                                scalarHead: true, seed: 5)
            var rollout = try Self.responses(f)
            let length = rollout.map { $0.tokens.count - 1 }.max()!
            let current = try PPO.responseValues(model, rollout, length: length)
            // Old values 0.5 away put a value outside the 0.2 clip range, 0.05 inside; returns on either side.
            let shifts = [0.05, 0.5, -0.5, -0.05]
            for i in rollout.indices {
                rollout[i].values = current[i].enumerated().map { t, v in v - shifts[(t + i) % shifts.count] }
                rollout[i].returns = current[i].enumerated().map { t, v in v + (t % 2 == 0 ? 0.7 : -0.9) }
            }
            let settings = PPO.Settings(try ConfigurationDecoder.decode(
                PPO.Configuration.self, from: .map(["model": .string("m"), "prompts": .string("p"), "reward_model": .string("r")]),
                schema: PPO.descriptor.schema))
            func loss() throws -> Double {
                let values = try PPO.responseValues(model, rollout, length: length)
                var total = 0.0, n = 0.0
                for (r, v) in zip(rollout, values) {
                    for t in v.indices {
                        total += settings.valueLoss.evaluate(value: v[t], oldValue: r.values[t], target: r.returns[t]).loss
                        n += 1
                    }
                }
                return settings.valueCoefficient * total / n
            }
            model.parameters.zeroGradients()
            var figures = PPOUpdateFigures()
            try PPO.addValueGradients(model, rollout, length: length, settings: settings, figures: &figures)
            #expect(figures.valueClipped > 0, "no value was clipped")
            let checked = try FiniteDifferenceCheck.largestGradients(model, tensors: ["score.weight", "h.0.attn.c_attn.weight", "wte.weight"],
                                         analytic: model.parameters.gradients.values, loss: loss)
            #expect(checked == 9)
        }
    }
}
