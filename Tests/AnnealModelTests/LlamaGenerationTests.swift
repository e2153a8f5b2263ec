import Foundation
import Testing
import AnnealTensor
@testable import AnnealModel

/// KV-cache generation computes what full forward passes compute: each greedy
/// token is the argmax of the full forward over the sequence so far, with the
/// same log-probability; batched prompts of different lengths generate what
/// they generate alone; stop tokens end a sequence.
struct LlamaGenerationTests {
    @Test(arguments: [TinyLlama.llama, TinyLlama.qwen2]) func cachedStepsMatchFullForward(config: LlamaConfig) throws {
        let model = try Llama(config: config, seed: 1)
        TinyLlama.randomise(model, seed: 6, scale: 0.8)
        let prompt: [Int32] = [4, 2]
        let generation = try model.generate(prompts: [prompt], options: .greedy(maxNewTokens: 5))[0]
        #expect(generation.tokens.count == 5 && generation.finishReason == .maxNewTokens)
        var sequence = prompt
        for (token, logProbability) in zip(generation.tokens, generation.logProbabilities) {
            try model.forward(tokens: sequence, batch: 1, length: sequence.count)
            let v = config.vocabulary
            let last = Array(model.logits[((sequence.count - 1) * v)..<(sequence.count * v)])
            let best = last.indices.max { last[$0] < last[$1] }!
            #expect(Int32(best) == token)
            let m = Double(last.max()!), lse = m + Foundation.log(last.map { Foundation.exp(Double($0) - m) }.reduce(0, +))
            #expect(abs(Double(logProbability) - (Double(last[best]) - lse)) < 1e-4)
            sequence.append(token)
        }
    }

    @Test func batchedPromptsGenerateWhatTheyGenerateAlone() throws {
        let model = try Llama(config: TinyLlama.llama, seed: 1)
        TinyLlama.randomise(model, seed: 7, scale: 0.8)
        let prompts: [[Int32]] = [[1, 2, 3], [9], [5, 5]]
        let options = SamplingOptions(maxNewTokens: 4, temperature: 0.9, topK: 5, seed: 11)
        let together = try model.generate(prompts: prompts, options: options)
        for (i, prompt) in prompts.enumerated() {
            var alone = options
            alone.seed = options.seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15
            #expect(try model.generate(prompts: [prompt], options: alone)[0] == together[i])
        }
    }

    @Test func stopTokenEndsTheSequence() throws {
        let model = try Llama(config: TinyLlama.qwen2, seed: 1)
        TinyLlama.randomise(model, seed: 8, scale: 0.8)
        let free = try model.generate(prompts: [[3]], options: .greedy(maxNewTokens: 4))[0]
        let stopped = try model.generate(prompts: [[3]], options: .greedy(maxNewTokens: 4, stopTokens: [free.tokens[1]]))[0]
        #expect(stopped.tokens == Array(free.tokens.prefix(through: free.tokens.firstIndex(of: free.tokens[1])!)))
        #expect(stopped.finishReason == .stopToken)
        #expect(throws: ModelError.self) { try model.generate(prompts: [[11]], options: .greedy(maxNewTokens: 1)) }
    }
}
