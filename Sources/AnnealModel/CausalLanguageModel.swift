/// What the training, alignment and evaluation steps need from a language
/// model, whatever its architecture: GPT and Llama both conform.
///
/// A training step is `parameters.zeroGradients()`, then per micro-batch
/// `forward(tokens:targets:positions:batch:length:)` and `backward(weights:)`,
/// then clipping and `AdamW.update(parameters, ...)` on the shared
/// `ParameterStore`. DPO, PPO and evaluation score continuations with
/// `logProbabilities(of:continuationStarts:batchSize:)`; sampling goes through
/// `generate(prompts:options:)`; `save(to:tokens:)` writes a Hugging Face folder.
public protocol CausalLanguageModel: AnyObject {
    /// Every weight with its gradient, in one flat buffer each.
    var parameters: ParameterStore { get }
    /// Training mode (dropout where the model has any); off while scoring and sampling.
    var isTraining: Bool { get set }
    /// Number of token ids.
    var vocabularySize: Int { get }
    /// Longest sequence the model takes.
    var contextLength: Int { get }

    /// Runs tokens [batch, length]; with targets (-1: none) it also computes
    /// `tokenLosses` for `backward`. `positions` packs several sequences per row.
    func forward(tokens: [Int32], targets: [Int32]?, positions: [Int32]?, batch: Int, length: Int) throws
    /// Logits [batch * length, vocabulary] of the last forward without targets.
    var logits: UnsafeBufferPointer<Float> { get }
    /// Softmax probabilities [batch * length, vocabulary] of the last forward with
    /// targets (empty after `backward`, which reuses the buffer for gradients).
    var probabilities: UnsafeBufferPointer<Float> { get }
    /// -log p(target) per position of the last forward [batch * length] (0 without a target).
    var tokenLosses: UnsafeBufferPointer<Float> { get }
    /// Σ weights[i] * tokenLosses[i]: the loss `backward(weights:)` differentiates.
    func loss(weights: [Float]) -> Float
    /// The mean -log p over positions that have a target.
    func meanLoss() -> Float
    /// Adds the gradient of Σ weights[i] * tokenLosses[i] to `parameters.gradients`.
    func backward(weights: [Float]) throws
    /// `backward(weights:)` with one weight at every position that has a target.
    func backward(uniformWeight: Float) throws
    /// Log-probabilities of each sequence's tokens from `continuationStarts[i]` on.
    func logProbabilities(of sequences: [[Int32]], continuationStarts: [Int], batchSize: Int) throws -> [SequenceLogProbability]
    /// Autoregressive generation with a KV cache.
    func generate(prompts: [[Int32]], options: SamplingOptions) throws -> [Generation]
    /// Writes the model as a Hugging Face folder that `transformers` loads.
    func save(to directory: String, tokens: ModelDirectory.SpecialTokens) throws
    /// Frees the activation buffers (rebuilt on the next forward).
    func releaseActivations()
}

extension CausalLanguageModel {
    public func loss(weights: [Float]) -> Float {
        let n = tokenLosses
        var s: Double = 0
        for i in 0..<min(n.count, weights.count) { s += Double(weights[i]) * Double(n[i]) }
        return Float(s)
    }

    /// Log-probabilities of continuations: for each sequence, the tokens from
    /// `continuationStarts[i]` on are scored given everything before them.
    /// Runs in batches of `batchSize` padded to one common length (one
    /// activation allocation); dropout is off. DPO, PPO and evaluation use it
    /// for GPT and Llama alike.
    public func logProbabilities(of sequences: [[Int32]], continuationStarts: [Int],
                                 batchSize: Int = 8) throws -> [SequenceLogProbability] {
        guard sequences.count == continuationStarts.count else {
            throw ModelError.invalidInput("\(sequences.count) sequences but \(continuationStarts.count) continuation starts")
        }
        guard !sequences.isEmpty else { return [] }
        for (i, (s, start)) in zip(sequences, continuationStarts).enumerated() where start < 1 || start > s.count {
            throw ModelError.invalidInput("continuation start \(start) of sequence \(i) must be in 1...\(s.count)")
        }
        let length = max(1, sequences.map(\.count).max()! - 1)
        let wasTraining = isTraining
        isTraining = false
        defer { isTraining = wasTraining }
        var results: [SequenceLogProbability] = []
        for first in stride(from: 0, to: sequences.count, by: max(1, batchSize)) {
            let slice = first..<min(sequences.count, first + max(1, batchSize))
            let packed = try TokenBatch(sequences: Array(sequences[slice]), targetStarts: Array(continuationStarts[slice]),
                                        length: length)
            try forward(tokens: packed.tokens, targets: packed.targets, positions: nil, batch: packed.batch, length: length)
            let nll = tokenLosses
            for (row, i) in slice.enumerated() {
                let s = sequences[i]
                let perToken = (continuationStarts[i]..<s.count).map { -nll[row * length + $0 - 1] }
                results.append(SequenceLogProbability(total: perToken.reduce(0, +), perToken: perToken))
            }
        }
        return results
    }
}
