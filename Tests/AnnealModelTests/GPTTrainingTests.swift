import Testing
import AnnealTensor
@testable import AnnealModel

/// Training behaviour: a tiny model memorises a sequence; gradient accumulation
/// over micro-batches equals one large batch; runs are byte-for-byte
/// deterministic; the optimiser, clipping and schedules do what they say.
struct GPTTrainingTests {
    @Test func memorisesShortSequence() throws {
        let config = GPTConfig(layers: 2, heads: 2, width: 32, context: 16, vocabulary: 20)
        let model = try GPT(config: config, seed: 7)
        let optimiser = AdamW(parameters: model.parameters, config: .init(weightDecay: 0))
        let sequence: [Int32] = [3, 14, 15, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8]
        let tokens = Array(sequence.dropLast()), targets = Array(sequence.dropFirst())
        var loss: Float = 0
        for _ in 0..<150 {
            model.parameters.zeroGradients()
            try model.forward(tokens: tokens, targets: targets, batch: 1, length: 16)
            loss = model.meanLoss()
            try model.backward(uniformWeight: 1 / 16)
            GradientClipping.clip(model.parameters, maxNorm: 1)
            optimiser.update(model.parameters, learningRate: 1e-2)
        }
        #expect(loss < 0.05, "loss after 150 steps: \(loss)")
    }

    @Test func accumulationEqualsOneBatch() throws {
        let a = try GPT(config: TinyModel.config, seed: 3), b = try GPT(config: TinyModel.config, seed: 3)
        let tokens = TinyModel.tokens(4 * 6, seed: 1), targets = TinyModel.tokens(4 * 6, seed: 2)
        a.parameters.zeroGradients()
        try a.forward(tokens: tokens, targets: targets, batch: 4, length: 6)
        try a.backward(uniformWeight: 1 / 24)
        b.parameters.zeroGradients()
        for half in 0..<2 {
            let range = (half * 12)..<(half * 12 + 12)
            try b.forward(tokens: Array(tokens[range]), targets: Array(targets[range]), batch: 2, length: 6)
            try b.backward(uniformWeight: 1 / 24)
        }
        let ga = a.parameters.gradients.values, gb = b.parameters.gradients.values
        let worst = zip(ga, gb).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-6)
        #expect(ga.contains { $0 != 0 })
    }

    func trainedBytes(threads: Int) throws -> [Float] {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let model = try GPT(config: TinyModel.config, seed: 11)
        let optimiser = AdamW(parameters: model.parameters)
        for step in 0..<3 {
            model.parameters.zeroGradients()
            try model.forward(tokens: TinyModel.tokens(16, seed: UInt64(step)), targets: TinyModel.tokens(16, seed: 99),
                              batch: 2, length: 8)
            try model.backward(uniformWeight: 1 / 16)
            optimiser.update(model.parameters, learningRate: 1e-3)
        }
        return model.parameters.values.values
    }

    @Test func trainingIsDeterministic() throws {
        #expect(try trainedBytes(threads: 1) == trainedBytes(threads: 1))
        #expect(try trainedBytes(threads: 2) == trainedBytes(threads: 2))
    }

    @Test func adamWSkipsDecayOnBiasesAndFrozenTensors() throws {
        let model = try GPT(config: TinyModel.config, seed: 1)
        model.parameters.setTrainable(false) { $0 == "wpe.weight" }
        let before = model.parameters.values.values
        model.parameters.zeroGradients()
        model.parameters.set("ln_f.bias", [Float](repeating: 1, count: 8))
        AdamW(parameters: model.parameters, config: .init(weightDecay: 0.5)).update(model.parameters, learningRate: 0.1)
        #expect(model.parameters.array("ln_f.bias") == [Float](repeating: 1, count: 8))  // zero gradient, no decay
        #expect(model.parameters.array("wpe.weight") == Array(before[model.parameters.entry("wpe.weight")!.offset...].prefix(64)))
        let wte = model.parameters.array("wte.weight")
        let wteBefore = Array(before[0..<wte.count])
        #expect(zip(wte, wteBefore).allSatisfy { abs($0 - $1 * 0.95) < 1e-7 })  // decayed by lr * wd
    }

    @Test func clippingBoundsTheGlobalNorm() throws {
        let model = try GPT(config: TinyModel.config, seed: 1)
        model.parameters.gradients.buffer.update(repeating: 1)
        let before = GradientClipping.clip(model.parameters, maxNorm: 2)
        #expect(before > 2)
        #expect(abs(GradientClipping.globalNorm(model.parameters) - 2) < 1e-3)
    }

    @Test func schedulesWarmUpAndDecayToTheFloor() {
        let cosine = LearningRateSchedule.warmupCosine(peak: 1, warmupSteps: 10, totalSteps: 110, floor: 0.1)
        #expect(abs(cosine.rate(at: 0) - 0.1) < 1e-6)
        #expect(cosine.rate(at: 9) == 1)
        #expect(abs(cosine.rate(at: 60) - 0.55) < 1e-5)
        #expect(abs(cosine.rate(at: 500) - 0.1) < 1e-6)
        let linear = LearningRateSchedule.warmupLinear(peak: 2, warmupSteps: 0, totalSteps: 100, floor: 0)
        #expect(abs(linear.rate(at: 50) - 1) < 1e-6)
        #expect(LearningRateSchedule.constant(rate: 3e-4).rate(at: 1000) == 3e-4)
    }

    @Test func badInputIsAnErrorNotATrap() throws {
        let model = try GPT(config: TinyModel.config, seed: 1)
        #expect(throws: ModelError.self) { try model.forward(tokens: [0, 99], batch: 1, length: 2) }
        #expect(throws: ModelError.self) { try model.forward(tokens: [Int32](repeating: 0, count: 9), batch: 1, length: 9) }
        #expect(throws: ModelError.self) { try model.backward(uniformWeight: 1) }
        #expect(throws: ModelError.self) { try GPT(config: GPTConfig(layers: 1, heads: 3, width: 8, context: 4, vocabulary: 5), seed: 1) }
    }
}
