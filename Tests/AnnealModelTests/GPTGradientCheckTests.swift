import Testing
import AnnealTensor
@testable import AnnealModel

/// The hand-written backward of every parameter group of a tiny GPT matches
/// finite differences: language-model loss with masked, weighted tokens;
/// LoRA adapters; and the scalar head.
struct GPTGradientCheckTests {
    let batch = 2, length = 5

    func weights() -> [Float] { [0.3, 0, 1, 0.5, 0.2, 1, 1, 0.7, 0, 0.4] }

    @Test(arguments: [1, 2]) func languageModelGradients(threads: Int) throws {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let model = try GPT(config: TinyModel.config, seed: 1)
        TinyModel.randomise(model, seed: 2)
        let tokens = TinyModel.tokens(batch * length, seed: 3)
        var targets = TinyModel.tokens(batch * length, seed: 4)
        targets[7] = -1
        let w = weights()
        model.parameters.zeroGradients()
        try model.forward(tokens: tokens, targets: targets, batch: batch, length: length)
        try model.backward(weights: w)
        let errors = try TinyModel.gradientErrors(model) {
            try model.forward(tokens: tokens, targets: targets, batch: batch, length: length)
            return Double(model.loss(weights: w))
        }
        #expect(errors.count == model.parameters.entries.count)
        for (name, err) in errors.sorted(by: { $0.key < $1.key }) {
            #expect(err < 2e-2, "\(name): relative error \(err)")
        }
    }

    @Test func loraGradients() throws {
        let lora = LoRAConfig(rank: 2, alpha: 4, dropout: 0.1, targets: LoRAConfig.Target.allCases)
        let model = try GPT(config: TinyModel.config, lora: lora, seed: 1)
        TinyModel.randomise(model, seed: 5)
        #expect(model.parameters.entries.filter(\.trainable).allSatisfy { $0.name.contains(".lora_") })
        let tokens = TinyModel.tokens(batch * length, seed: 6)
        let targets = TinyModel.tokens(batch * length, seed: 7)
        model.parameters.zeroGradients()
        try model.forward(tokens: tokens, targets: targets, batch: batch, length: length)
        try model.backward(weights: weights())
        // Frozen tensors get no gradient at all.
        let wte = model.parameters.entry("wte.weight")!
        #expect(UnsafeBufferPointer(start: model.parameters.gradients.pointer + wte.offset, count: wte.count).allSatisfy { $0 == 0 })
        let errors = try TinyModel.gradientErrors(model) {
            try model.forward(tokens: tokens, targets: targets, batch: batch, length: length)
            return Double(model.loss(weights: weights()))
        }
        #expect(errors.count == 2 * 4 * TinyModel.config.layers)
        for (name, err) in errors { #expect(err < 2e-2, "\(name): relative error \(err)") }
    }

    @Test func scalarHeadGradients() throws {
        let model = try GPT(config: TinyModel.config, scalarHead: true, seed: 1)
        TinyModel.randomise(model, seed: 8)
        let tokens = TinyModel.tokens(batch * length, seed: 9)
        let dvalues: [Float] = [0, 0, 0.5, 0, 1, 0, -1, 0, 0, 0.25]
        model.parameters.zeroGradients()
        try model.forwardScalar(tokens: tokens, batch: batch, length: length)
        try model.backwardScalar(gradients: dvalues)
        let errors = try TinyModel.gradientErrors(model) {
            let values = try model.forwardScalar(tokens: tokens, batch: batch, length: length)
            return zip(values, dvalues).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        // wte only feeds the trunk here (no LM head), so it is checked too.
        #expect(errors["score.weight"] != nil)
        for (name, err) in errors { #expect(err < 2e-2, "\(name): relative error \(err)") }
    }
}
