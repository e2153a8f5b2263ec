import Foundation
import Testing
import AnnealTensor
@testable import AnnealModel

/// Training through the `CausalLanguageModel` protocol: the loss of a tiny
/// Llama and a tiny Qwen2 falls on a fixed batch with AdamW, the same code
/// trains GPT, runs are byte-for-byte repeatable, and log-probabilities agree
/// with the token losses.
struct LlamaTrainingTests {
    /// Trains on one fixed batch; returns the first and last mean loss.
    func train(_ model: some CausalLanguageModel, steps: Int) throws -> (first: Float, last: Float) {
        let optimiser = AdamW(parameters: model.parameters, config: .init(weightDecay: 0.01))
        let sequences: [[Int32]] = [[3, 1, 4, 1, 5, 9, 2, 6, 5], [2, 7, 1, 8, 2, 8, 1, 8, 2]]
        let batch = try TokenBatch(sequences: sequences, targetStarts: [1, 1])
        var losses: [Float] = []
        for _ in 0..<steps {
            model.parameters.zeroGradients()
            try model.forward(tokens: batch.tokens, targets: batch.targets, positions: nil, batch: batch.batch, length: batch.length)
            losses.append(model.meanLoss())
            try model.backward(uniformWeight: 1 / Float(batch.tokens.count))
            GradientClipping.clip(model.parameters, maxNorm: 1)
            optimiser.update(model.parameters, learningRate: 1e-2)
        }
        return (losses[0], losses[losses.count - 1])
    }

    @Test(arguments: [TinyLlama.llama, TinyLlama.qwen2]) func lossFallsWithAdamW(config: LlamaConfig) throws {
        var bigger = config
        bigger.context = 16
        let (first, last) = try train(try Llama(config: bigger, seed: 5), steps: 60)
        #expect(first > 2 && last < 0.3 * first, "\(config.family): loss \(first) -> \(last)")
    }

    @Test func theSameLoopTrainsGPT() throws {
        let (first, last) = try train(try GPT(config: TinyModel.config, seed: 5), steps: 60)
        #expect(last < 0.5 * first, "loss \(first) -> \(last)")
    }

    @Test(arguments: [1, 2]) func trainingIsRepeatable(threads: Int) throws {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let a = try Llama(config: TinyLlama.qwen2, seed: 2), b = try Llama(config: TinyLlama.qwen2, seed: 2)
        _ = try train(a, steps: 5)
        _ = try train(b, steps: 5)
        #expect(a.parameters.values.values.map(\.bitPattern) == b.parameters.values.values.map(\.bitPattern))
    }

    @Test func probabilitiesAreTheSoftmaxOfTheLogitsUntilBackward() throws {
        let model = try Llama(config: TinyLlama.qwen2, seed: 3)
        TinyLlama.randomise(model, seed: 10)
        let tokens: [Int32] = [1, 2, 3, 4], targets: [Int32] = [2, 3, 4, -1], v = TinyLlama.qwen2.vocabulary
        try model.forward(tokens: tokens, batch: 1, length: 4)
        let logits = Array(model.logits)
        #expect(model.probabilities.isEmpty)
        try model.forward(tokens: tokens, targets: targets, batch: 1, length: 4)
        let p = Array(model.probabilities)
        #expect(model.logits.isEmpty && p.count == 4 * v)
        for row in 0..<4 {
            let z = logits[(row * v)..<((row + 1) * v)].map { Foundation.exp(Double($0)) }
            let total = z.reduce(0, +)
            for i in 0..<v { #expect(abs(Double(p[row * v + i]) - z[i] / total) < 1e-6) }
        }
        try model.backward(uniformWeight: 1)
        #expect(model.probabilities.isEmpty && model.logits.isEmpty)
    }

    @Test func logProbabilitiesAreMinusTheTokenLosses() throws {
        let model = try Llama(config: TinyLlama.llama, seed: 3)
        TinyLlama.randomise(model, seed: 9)
        let sequences: [[Int32]] = [[1, 2, 3, 4, 5], [6, 7, 8]]
        let scored = try model.logProbabilities(of: sequences, continuationStarts: [2, 1], batchSize: 1)
        try model.forward(tokens: [1, 2, 3, 4], targets: [-1, 3, 4, 5], batch: 1, length: 4)
        #expect(scored[0].perToken.count == 3)
        for (i, lp) in scored[0].perToken.enumerated() { #expect(abs(lp + model.tokenLosses[i + 1]) < 1e-5) }
        #expect(abs(scored[1].total - scored[1].perToken.reduce(0, +)) < 1e-6 && scored[1].perToken.count == 2)
    }
}
