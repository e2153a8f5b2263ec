import Testing
#if canImport(Glibc)
import Glibc
#endif
import AnnealTensor
@testable import AnnealModel

/// KV-cache generation agrees with full recomputation, batches agree with
/// single prompts, sampling is seeded and follows the softmax, and the
/// stop/length rules and top-k/top-p filters hold.
struct SamplerTests {
    let config = GPTConfig(layers: 2, heads: 2, width: 16, context: 16, vocabulary: 11)

    func model() throws -> GPT {
        let m = try GPT(config: config, seed: 21)
        TinyModel.randomise(m, seed: 22, scale: 0.5)
        return m
    }

    /// Greedy continuation by re-running the whole sequence each step.
    func greedyByRecomputation(_ m: GPT, _ prompt: [Int32], steps: Int) throws -> [Int32] {
        var sequence = prompt
        for _ in 0..<steps {
            try m.forward(tokens: sequence, batch: 1, length: sequence.count)
            let row = Array(m.logits[((sequence.count - 1) * 11)..<(sequence.count * 11)])
            sequence.append(Int32(row.indices.max { row[$0] < row[$1] }!))
        }
        return Array(sequence[prompt.count...])
    }

    @Test func cachedGreedyMatchesRecomputationAndBatches() throws {
        let m = try model()
        let prompts: [[Int32]] = [[1, 2, 3], [4], [5, 6, 7, 8, 9]]
        let batched = try Sampler(model: m).generate(prompts: prompts, options: .greedy(maxNewTokens: 6))
        for (prompt, generation) in zip(prompts, batched) {
            #expect(generation.tokens == (try greedyByRecomputation(m, prompt, steps: 6)))
            #expect(generation.finishReason == .maxNewTokens)
            let alone = try Sampler(model: m).generate(prompts: [prompt], options: .greedy(maxNewTokens: 6))
            #expect(alone[0].tokens == generation.tokens)
        }
    }

    @Test func reportsLogProbabilitiesOfTheSampledTokens() throws {
        let m = try model()
        let prompt: [Int32] = [3, 1, 4]
        let g = try Sampler(model: m).generate(prompts: [prompt], options: SamplingOptions(maxNewTokens: 5, seed: 3))[0]
        let scored = try m.logProbabilities(of: [prompt + g.tokens], continuationStarts: [prompt.count])[0]
        #expect(zip(scored.perToken, g.logProbabilities).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func isSeededAndFollowsTheSoftmax() throws {
        let m = try model()
        let options = SamplingOptions(maxNewTokens: 4, temperature: 1, seed: 9)
        let sampler = Sampler(model: m)
        #expect(try sampler.generate(prompts: [[1, 2]], options: options) == sampler.generate(prompts: [[1, 2]], options: options))
        let draws = try sampler.generate(prompts: [[Int32]](repeating: [1, 2], count: 3000),
                                         options: SamplingOptions(maxNewTokens: 1, seed: 1))
        try m.forward(tokens: [1, 2], batch: 1, length: 2)
        let row = Array(m.logits[11..<22]).map(Double.init)
        let z = row.map { exp($0 - row.max()!) }.reduce(0, +)
        for token in 0..<11 {
            let expected = exp(row[token] - row.max()!) / z
            let observed = Double(draws.filter { $0.tokens[0] == Int32(token) }.count) / 3000
            #expect(abs(observed - expected) < 0.035, "token \(token): \(observed) vs \(expected)")
        }
    }

    @Test func filtersAndStopRules() throws {
        let m = try model()
        let sampler = Sampler(model: m)
        let greedy = try sampler.generate(prompts: [[2]], options: .greedy(maxNewTokens: 5))[0]
        #expect(try sampler.generate(prompts: [[2]], options: SamplingOptions(maxNewTokens: 5, topK: 1, seed: 4))[0].tokens == greedy.tokens)
        #expect(try sampler.generate(prompts: [[2]], options: SamplingOptions(maxNewTokens: 5, topP: 1e-6, seed: 4))[0].tokens == greedy.tokens)
        let topK = try sampler.generate(prompts: [[Int32]](repeating: [2], count: 200), options: SamplingOptions(maxNewTokens: 1, topK: 2, seed: 5))
        #expect(Set(topK.map { $0.tokens[0] }).count <= 2)
        let stopped = try sampler.generate(prompts: [[2]], options: .greedy(maxNewTokens: 5, stopTokens: [greedy.tokens[1]]))[0]
        #expect(stopped.finishReason == .stopToken)
        #expect(stopped.tokens == Array(greedy.tokens.prefix(greedy.tokens.firstIndex(of: greedy.tokens[1])! + 1)))
        let long = try sampler.generate(prompts: [[2, 3, 4]], options: .greedy(maxNewTokens: 100))[0]
        #expect(long.finishReason == .context && long.tokens.count == 16 - 3)
        #expect(throws: ModelError.self) { try sampler.generate(prompts: [[]], options: .greedy(maxNewTokens: 1)) }
        #expect(throws: ModelError.self) { try sampler.generate(prompts: [[99]], options: .greedy(maxNewTokens: 1)) }
    }
}
