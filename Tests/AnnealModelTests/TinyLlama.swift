import AnnealTensor
@testable import AnnealModel

/// Tiny Llama and Qwen2 configurations shared by the Llama tests.
enum TinyLlama {
    /// Untied head, biases everywhere, 4 query heads sharing 2 kv heads, llama3 RoPE.
    static let llama = LlamaConfig(family: .llama, layers: 2, heads: 4, keyValueHeads: 2, width: 12, headSize: 4, intermediate: 20,
                                   context: 8, vocabulary: 11, rmsNormEpsilon: 1e-5, ropeTheta: 10_000,
                                   ropeScaling: .llama3(factor: 4, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 4),
                                   attentionBias: true, mlpBias: true, tiedEmbeddings: false)
    /// Tied head, q/k/v biases only, 2 query heads per kv head.
    static let qwen2 = LlamaConfig(family: .qwen2, layers: 2, heads: 4, keyValueHeads: 1, width: 8, intermediate: 16,
                                   context: 8, vocabulary: 11, rmsNormEpsilon: 1e-6, ropeTheta: 1000,
                                   ropeScaling: .linear(factor: 2), tiedEmbeddings: true)

    /// Uniform values in ±scale (RMSNorm weights around 1), large enough for finite differences.
    static func randomise(_ model: Llama, seed: UInt64, scale: Float = 0.4) {
        var g = SeededGenerator(seed: seed)
        for e in model.parameters.entries {
            let offset: Float = e.name.hasSuffix("norm.weight") ? 1 : 0
            model.parameters.set(e.name, (0..<e.count).map { _ in (g.nextUniform() * 2 - 1) * scale + offset })
        }
    }
}
