import Testing
@testable import AnnealTensor
@testable import AnnealModel

/// Training gives the same weights, byte for byte, on 1, 2 and 3 threads: a
/// whole GPT with AdamW and clipping, a LoRA run with dropout, packed rows, and
/// a scalar head. The model is big enough that its products are cut into
/// several blocks and its LayerNorm sums span several parts.
struct ThreadCountIndependenceTests {
    static let config = GPTConfig(layers: 2, heads: 2, width: 64, context: 32, vocabulary: 256)
    static let batch = 4

    enum Run { case full, lora, packed, scalarHead }

    /// The weights and AdamW moments after four steps on `threads` threads.
    func trainedBytes(_ run: Run, threads: Int) throws -> [UInt32] {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let lora = run == .lora ? LoRAConfig(rank: 4, alpha: 8, dropout: 0.1, targets: LoRAConfig.Target.allCases) : nil
        let model = try GPT(config: Self.config, lora: lora, scalarHead: run == .scalarHead, seed: 5)
        let optimiser = AdamW(parameters: model.parameters)
        model.isTraining = true
        let (b, t, v) = (Self.batch, Self.config.context, Self.config.vocabulary)
        for step in 0..<4 {
            model.parameters.zeroGradients()
            let tokens = TinyModel.tokens(b * t, seed: UInt64(step), vocabulary: v)
            switch run {
            case .full, .lora:
                try model.forward(tokens: tokens, targets: TinyModel.tokens(b * t, seed: 100 + UInt64(step), vocabulary: v),
                                  batch: b, length: t)
                try model.backward(uniformWeight: 1 / Float(b * t))
            case .packed:
                // Rows of sequences 5 to 14 tokens long, as many as fit (a sequence of n tokens takes n - 1 positions).
                let rows = (0..<b).map { row in
                    var sequences: [[Int32]] = [], used = 0
                    while case let n = 5 + (row + 3 * sequences.count) % 10, used + n - 1 <= t {
                        sequences.append(TinyModel.tokens(n, seed: UInt64(1000 * step + 10 * row + sequences.count), vocabulary: v))
                        used += n - 1
                    }
                    return sequences
                }
                let packed = try TokenBatch(packing: rows, targetStarts: rows.map { $0.map { _ in 1 } }, length: t)
                #expect(packed.positions!.filter { $0 == 0 }.count > b && packed.batch == b)
                try model.forward(tokens: packed.tokens, targets: packed.targets, positions: packed.positions,
                                  batch: packed.batch, length: packed.length)
                try model.backward(weights: packed.uniformWeights(normaliser: packed.targetCount))
            case .scalarHead:
                try model.forwardScalar(tokens: tokens, batch: b, length: t)
                try model.backwardScalar(at: (0..<b).map { t - 1 - $0 }, gradients: (0..<b).map { Float($0) - 1.5 })
            }
            GradientClipping.clip(model.parameters, maxNorm: 0.5)
            optimiser.update(model.parameters, learningRate: 1e-2)
        }
        return (model.parameters.values.values + optimiser.firstMoment.values + optimiser.secondMoment.values).map(\.bitPattern)
    }

    @Test(arguments: [Run.full, .lora, .packed, .scalarHead]) func trainingBytesDoNotDependOnTheThreadCount(_ run: Run) throws {
        let (c, rows) = (Self.config.width, Self.batch * Self.config.context)
        #expect(Matmul.blocks(m: rows, n: 3 * c, k: c).count > 1 && Matmul.blocks(m: c, n: 4 * c, k: rows).count > 1)
        #expect(rows / LayerNorm.rowsPerPart > 1)
        let one = try trainedBytes(run, threads: 1)
        #expect(try trainedBytes(run, threads: 2) == one)
        #expect(try trainedBytes(run, threads: 3) == one)
    }
}
