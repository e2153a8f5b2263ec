import Foundation
import Testing
import AnnealTensor
@testable import AnnealModel

/// Training 4 steps equals training 2, saving, loading and training 2 more,
/// byte for byte, with LoRA dropout drawing from the saved generator.
struct TrainingCheckpointTests {
    func train(_ model: GPT, _ optimiser: AdamW, _ state: inout TrainingState, steps: Int) throws {
        var g = SeededGenerator(state: state.generatorState)!
        model.isTraining = true
        for _ in 0..<steps {
            let start = state.dataPosition
            let tokens = TinyModel.tokens(16, seed: UInt64(start)), targets = TinyModel.tokens(16, seed: UInt64(start + 1000))
            model.parameters.zeroGradients()
            try model.forward(tokens: tokens, targets: targets, batch: 2, length: 8)
            try model.backward(uniformWeight: Float(g.nextUniform() + 0.5) / 16)
            GradientClipping.clip(model.parameters, maxNorm: 1)
            optimiser.update(model.parameters, learningRate: LearningRateSchedule.warmupCosine(peak: 1e-2, warmupSteps: 2, totalSteps: 4, floor: 1e-3).rate(at: state.step))
            state.step += 1
            state.dataPosition += 7
        }
        state.generatorState = g.state
    }

    @Test(arguments: [false, true]) func resumeIsExact(lora: Bool) throws {
        let loraConfig = lora ? LoRAConfig(rank: 2, alpha: 4, dropout: 0.2, targets: [.attention, .mlpOutput]) : nil
        let straight = try GPT(config: TinyModel.config, lora: loraConfig, seed: 9)
        let straightOpt = AdamW(parameters: straight.parameters)
        var straightState = TrainingState(step: 0, dataPosition: 0, generatorState: SeededGenerator(seed: 1).state)
        try train(straight, straightOpt, &straightState, steps: 4)

        let first = try GPT(config: TinyModel.config, lora: loraConfig, seed: 9)
        let firstOpt = AdamW(parameters: first.parameters)
        var state = TrainingState(step: 0, dataPosition: 0, generatorState: SeededGenerator(seed: 1).state, notes: ["data": "abc"])
        try train(first, firstOpt, &state, steps: 2)
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try TrainingCheckpoint.save(model: first, optimizer: firstOpt, state: state, to: dir.path)
        var (resumed, resumedOpt, resumedState) = try TrainingCheckpoint.load(from: dir.path)
        #expect(resumedState == state)
        #expect(resumed.lora == loraConfig)
        try train(resumed, resumedOpt, &resumedState, steps: 2)
        #expect(resumed.parameters.values.values == straight.parameters.values.values)
        #expect(resumedOpt.firstMoment.values == straightOpt.firstMoment.values)
        #expect(resumedState == straightState.with(notes: ["data": "abc"]))
    }

    @Test func refusesAMissingOptimiserFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try GPT(config: TinyModel.config, seed: 1)
        try TrainingCheckpoint.save(model: model, optimizer: AdamW(parameters: model.parameters),
                                    state: TrainingState(step: 0, dataPosition: 0, generatorState: [1, 2, 3, 4]), to: dir.path)
        try "{}".write(toFile: dir.path + "/optimizer.safetensors", atomically: true, encoding: .utf8)
        #expect(throws: ModelError.self) { try TrainingCheckpoint.load(from: dir.path) }
    }
}

extension TrainingState {
    func with(notes: [String: String]) -> TrainingState {
        var copy = self
        copy.notes = notes
        return copy
    }
}
