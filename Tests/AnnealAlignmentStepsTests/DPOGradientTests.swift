@testable import AnnealSteps
import AnnealAlignment
import AnnealModel
import Testing

extension AlignmentStepsSuite {
    /// The way DPO reaches the GPT (∂L/∂π of a sequence as the weight −∂L/∂π on
    /// each answer token's NLL, plus the SFT term on the chosen tokens) gives
    /// the gradient of the whole loss: checked against central finite
    /// differences through the model, for each loss type.
    @Suite struct DPOGradientTests {
        @Test(arguments: PreferenceLoss.Kind.allCases)
        func gradientMatchesFiniteDifferences(_ kind: PreferenceLoss.Kind) throws {
            let f = try AlignmentFixture()
            let template = try ChatTemplate(tokenizer: f.tokenizer)
            let model = try GPT(config: GPTConfig(layers: 1, heads: 2, width: 16, context: 48, vocabulary: f.tokenizer.vocabularySize), seed: 3)
            let pairs = ["apple", "river"].compactMap { word in
                EncodedPreference.encode(PreferencePair(prompt: [ChatMessage(role: "user", content: AlignmentFixture.prompt(word))],
                                                        chosen: [ChatMessage(role: "assistant", content: AlignmentFixture.courteousAnswer(word))],
                                                        rejected: [ChatMessage(role: "assistant", content: AlignmentFixture.plainAnswer(word))]),
                                         template: template, maxTokens: 49)
            }
            #expect(pairs.count == 2)
            let length = pairs.map { $0.chosen.tokens.count }.max()! - 1
            // References away from the policy, so no loss sits at a kink or a flat point.
            let start = try PreferenceLogProbabilities.compute(model, pairs, length: length, batch: 2)
            let references = start.enumerated().map { i, p in (chosen: p.chosen + 0.4 + Float(i), rejected: p.rejected - 0.3) }
            let loss = PreferenceLoss(kind: kind, beta: 0.5, labelSmoothing: kind == .sigmoid ? 0.1 : 0)
            let sftWeight: Float = 0.05

            func total() throws -> Double {
                let sums = try PreferenceLogProbabilities.compute(model, pairs, length: length, batch: 2)
                var l = 0.0
                for (p, r) in zip(sums, references) {
                    l += 0.5 * loss.evaluate(policyChosen: Double(p.chosen), policyRejected: Double(p.rejected),
                                             referenceChosen: Double(r.chosen), referenceRejected: Double(r.rejected)).loss
                    l -= Double(sftWeight) * Double(p.chosen)
                }
                return l
            }
            model.parameters.zeroGradients()
            var figures = PreferenceFigures()
            try DPO.addGradients(model, pairs: pairs, references: references, loss: loss, pairWeight: 0.5, sftWeight: sftWeight,
                                 length: length, figures: &figures)
            let checked = try FiniteDifferenceCheck.largestGradients(model, tensors: ["wte.weight", "h.0.attn.c_attn.weight", "h.0.mlp.c_proj.bias"],
                                                                     analytic: model.parameters.gradients.values, loss: total)
            #expect(checked == 9)
        }
    }
}
