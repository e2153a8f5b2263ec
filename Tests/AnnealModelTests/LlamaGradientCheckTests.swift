import Testing
import AnnealTensor
@testable import AnnealModel

/// The hand-written backward of every tensor of a tiny Llama and a tiny Qwen2
/// matches finite differences of the weighted language-model loss, on one and
/// two threads, with whole rows and with packed rows.
struct LlamaGradientCheckTests {
    let batch = 2, length = 5

    static let cases: [(LlamaConfig, Int, Bool)] = [
        (TinyLlama.llama, 1, false), (TinyLlama.llama, 2, true), (TinyLlama.qwen2, 1, true), (TinyLlama.qwen2, 2, false),
    ]

    @Test(arguments: cases) func languageModelGradients(config: LlamaConfig, threads: Int, packed: Bool) throws {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let model = try Llama(config: config, seed: 1)
        TinyLlama.randomise(model, seed: 2)
        let tokens = TinyModel.tokens(batch * length, seed: 3)
        var targets = TinyModel.tokens(batch * length, seed: 4)
        targets[7] = -1
        let positions: [Int32]? = packed ? [0, 1, 2, 0, 1, 0, 1, 2, 3, 4] : nil
        let w: [Float] = [0.3, 0, 1, 0.5, 0.2, 1, 1, 0.7, 0, 0.4]
        model.parameters.zeroGradients()
        try model.forward(tokens: tokens, targets: targets, positions: positions, batch: batch, length: length)
        try model.backward(weights: w)
        let errors = try TinyModel.gradientErrors(model) {
            try model.forward(tokens: tokens, targets: targets, positions: positions, batch: batch, length: length)
            return Double(model.loss(weights: w))
        }
        #expect(errors.count == model.parameters.entries.count)
        for (name, err) in errors.sorted(by: { $0.key < $1.key }) {
            #expect(err < 2e-2, "\(name): relative error \(err)")
        }
    }

    @Test func packedRowsComputeWhatSeparateRowsDo() throws {
        let model = try Llama(config: TinyLlama.llama, seed: 1)
        TinyLlama.randomise(model, seed: 5)
        let first: [Int32] = [3, 1, 4], second: [Int32] = [1, 5, 9, 2]
        try model.forward(tokens: first + second, positions: [0, 1, 2, 0, 1, 2, 3], batch: 1, length: 7)
        let packed = Array(model.logits)
        try model.forward(tokens: second, batch: 1, length: 4)
        let alone = Array(model.logits)
        let v = TinyLlama.llama.vocabulary
        #expect(zip(packed[(3 * v)...], alone).map { abs($0 - $1) }.max()! < 1e-5)
    }
}
