import AnnealTensor

/// A Llama-architecture language model (and Qwen2, the same block with q, k,
/// v biases) with a hand-written backward pass:
///
/// ```
/// x0 = embed_tokens[tokens]                                       [B, T, C]
/// for each layer:  h = rmsnorm(x) ; q, k, v = rope(q_proj h), rope(k_proj h), v_proj h
///                  x = x + o_proj(gqa_attention(q, k, v))         q [B,T,H hs], k, v [B,T,Hkv hs]
///                  h = rmsnorm(x) ; x = x + down_proj(silu(gate_proj h) * up_proj h)
/// logits = rmsnorm(x) @ W^T        W = lm_head.weight, or embed_tokens when tied   [B, T, V]
/// ```
///
/// Weights keep their Hugging Face names and [out, in] layout. Use it as GPT:
/// `forward(tokens:targets:positions:batch:length:)`, `backward(weights:)`
/// (gradients add up until `parameters.zeroGradients()`), `AdamW.update`.
public final class Llama {
    public let config: LlamaConfig
    /// All weights by Hugging Face name (`model.layers.0.self_attn.q_proj.weight`), with gradients.
    public let parameters: ParameterStore
    /// The model has no dropout; kept so training code can set it as for GPT.
    public var isTraining = false
    /// Token ids written to config.json and generation_config.json on save.
    public var specialTokens = ModelDirectory.SpecialTokens()
    /// Tokens that end generation (generation_config.json `eos_token_id`, which may list several).
    public var stopTokens: Set<Int32> = []

    let layers: [LlamaLayerLayout]
    let embedding: Int, finalNorm: Int, head: Int
    /// Rotary tables [context, headSize / 2].
    let ropeCos: [Float], ropeSin: [Float]
    var activations: LlamaActivations?
    /// Whether the logits buffer holds logits, probabilities (forward with targets) or gradients.
    var logitsState: LogitsState = .empty
    enum LogitsState { case empty, logits, probabilities }

    /// A freshly initialised model (as `transformers`: normal(0, 0.02) matrices and
    /// embeddings, zero biases, unit RMSNorm weights).
    public convenience init(config: LlamaConfig, seed: UInt64) throws {
        try self.init(config: config, initialSeed: seed)
    }

    /// With a nil seed every weight stays zero, for loaders that overwrite them all.
    init(config: LlamaConfig, initialSeed: UInt64?) throws {
        try config.validate()
        self.config = config
        parameters = ParameterStore(Llama.parameterSpecs(config: config))
        let entries = parameters.entries
        let index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
        func projection(_ name: String, _ fin: Int, _ fout: Int) -> LlamaProjectionLayout {
            LlamaProjectionLayout(weight: index[name + ".weight"]!, bias: index[name + ".bias"], inFeatures: fin, outFeatures: fout)
        }
        let c = config.width, q = config.heads * config.headSize, kv = config.keyValueHeads * config.headSize, i = config.intermediate
        layers = (0..<config.layers).map { l in
            let p = "model.layers.\(l)."
            return LlamaLayerLayout(inputNorm: index[p + "input_layernorm.weight"]!,
                                    postAttentionNorm: index[p + "post_attention_layernorm.weight"]!,
                                    query: projection(p + "self_attn.q_proj", c, q), key: projection(p + "self_attn.k_proj", c, kv),
                                    value: projection(p + "self_attn.v_proj", c, kv), output: projection(p + "self_attn.o_proj", q, c),
                                    gate: projection(p + "mlp.gate_proj", c, i), up: projection(p + "mlp.up_proj", c, i),
                                    down: projection(p + "mlp.down_proj", i, c))
        }
        embedding = index["model.embed_tokens.weight"]!
        finalNorm = index["model.norm.weight"]!
        head = config.tiedEmbeddings ? embedding : index["lm_head.weight"]!
        let frequencies = config.ropeScaling.inverseFrequencies(theta: config.ropeTheta, headSize: config.headSize)
        (ropeCos, ropeSin) = RotaryEmbedding.tables(inverseFrequencies: frequencies, positions: config.context)
        guard let initialSeed else { return }
        var generator = SeededGenerator(seed: initialSeed)
        for e in entries {
            let p = parameters.values.pointer + e.offset
            if e.name.hasSuffix("norm.weight") {
                p.update(repeating: 1, count: e.count)
            } else if e.name.hasSuffix(".bias") {
                p.update(repeating: 0, count: e.count)
            } else {
                for j in 0..<e.count { p[j] = generator.nextNormal() * 0.02 }
            }
        }
    }

    /// The names, shapes ([out, in] for projections) and decay flags of every tensor.
    static func parameterSpecs(config: LlamaConfig) -> [(name: String, shape: [Int], decays: Bool)] {
        let c = config.width, q = config.heads * config.headSize, kv = config.keyValueHeads * config.headSize
        let i = config.intermediate
        var specs: [(name: String, shape: [Int], decays: Bool)] = [("model.embed_tokens.weight", [config.vocabulary, c], true)]
        func linear(_ name: String, _ fin: Int, _ fout: Int, bias: Bool) {
            specs.append((name + ".weight", [fout, fin], true))
            if bias { specs.append((name + ".bias", [fout], false)) }
        }
        for l in 0..<config.layers {
            let p = "model.layers.\(l)."
            specs.append((p + "input_layernorm.weight", [c], false))
            linear(p + "self_attn.q_proj", c, q, bias: config.queryKeyValueBias)
            linear(p + "self_attn.k_proj", c, kv, bias: config.queryKeyValueBias)
            linear(p + "self_attn.v_proj", c, kv, bias: config.queryKeyValueBias)
            linear(p + "self_attn.o_proj", q, c, bias: config.outputBias)
            specs.append((p + "post_attention_layernorm.weight", [c], false))
            linear(p + "mlp.gate_proj", c, i, bias: config.mlpBias)
            linear(p + "mlp.up_proj", c, i, bias: config.mlpBias)
            linear(p + "mlp.down_proj", i, c, bias: config.mlpBias)
        }
        specs.append(("model.norm.weight", [c], false))
        if !config.tiedEmbeddings { specs.append(("lm_head.weight", [config.vocabulary, c], true)) }
        return specs
    }

    /// The values of entry `entry`.
    func value(_ entry: Int) -> UnsafeMutablePointer<Float> { parameters.values.pointer + parameters.entries[entry].offset }

    /// The gradient of entry `entry`, or nil when it is frozen.
    func gradient(_ entry: Int) -> UnsafeMutablePointer<Float>? {
        let e = parameters.entries[entry]
        return e.trainable ? parameters.gradients.pointer + e.offset : nil
    }

    /// The activation buffers for a [batch, length] pass, reused while the shape stays.
    func activations(batch: Int, length: Int) -> LlamaActivations {
        if let a = activations, a.batch == batch, a.length == length { return a }
        activations = nil
        let a = LlamaActivations(config: config, batch: batch, length: length)
        activations = a
        return a
    }

    public func releaseActivations() { activations = nil }

    /// Bytes of the activation buffers currently held.
    public var activationBytes: Int { activations?.byteCount ?? 0 }

    func checkInput(tokens: [Int32], targets: [Int32]?, positions: [Int32]?, batch: Int, length: Int) throws {
        guard batch > 0, length > 0 else { throw ModelError.invalidInput("batch \(batch) and length \(length) must be positive") }
        guard length <= config.context else {
            throw ModelError.invalidInput("sequence length \(length) exceeds max_position_embeddings \(config.context); truncate or pack shorter sequences")
        }
        guard tokens.count == batch * length else { throw ModelError.invalidInput("\(tokens.count) tokens for a batch of \(batch) x \(length)") }
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= config.vocabulary }) {
            throw ModelError.invalidInput("token id \(bad) is outside the vocabulary of \(config.vocabulary)")
        }
        if let targets {
            guard targets.count == batch * length else { throw ModelError.invalidInput("\(targets.count) targets for a batch of \(batch) x \(length)") }
            if let bad = targets.first(where: { Int($0) >= config.vocabulary || $0 < -1 }) {
                throw ModelError.invalidInput("target id \(bad) is outside the vocabulary of \(config.vocabulary) (use -1 for no target)")
            }
        }
        guard let positions else { return }
        guard positions.count == batch * length else {
            throw ModelError.invalidInput("\(positions.count) positions for a batch of \(batch) x \(length)")
        }
        for row in 0..<batch {
            for t in 0..<length {
                let p = positions[row * length + t], previous = t == 0 ? -1 : positions[row * length + t - 1]
                guard p == 0 || p == previous + 1 else {
                    throw ModelError.invalidInput("position \(p) at row \(row), token \(t) must be 0 (a new sequence) or \(previous + 1)")
                }
            }
        }
    }
}
