import Foundation

/// The shape of a Llama-architecture model (`LlamaForCausalLM`: SmolLM2,
/// TinyLlama, Llama 2/3/3.2) or of Qwen2 (`Qwen2ForCausalLM`, the same block
/// with biases on the q, k and v projections).
public struct LlamaConfig: Codable, Equatable, Hashable, Sendable {
    /// Which `transformers` class the weights and config.json follow.
    public enum Family: String, Codable, Sendable {
        case llama, qwen2
        /// The `architectures` entry of config.json.
        public var architecture: String { self == .llama ? "LlamaForCausalLM" : "Qwen2ForCausalLM" }
    }

    public var family: Family
    /// Decoder layers (`num_hidden_layers`).
    public var layers: Int
    /// Query heads (`num_attention_heads`).
    public var heads: Int
    /// Key and value heads (`num_key_value_heads`); must divide `heads`.
    public var keyValueHeads: Int
    /// Residual width C (`hidden_size`).
    public var width: Int
    /// Size of one head (`head_dim`, hidden_size / heads unless given); even.
    public var headSize: Int
    /// Hidden width of the SwiGLU MLP (`intermediate_size`).
    public var intermediate: Int
    /// Longest sequence (`max_position_embeddings`): the rotary tables' length.
    public var context: Int
    /// Vocabulary size (`vocab_size`).
    public var vocabulary: Int
    /// RMSNorm epsilon (`rms_norm_eps`).
    public var rmsNormEpsilon: Double
    /// RoPE base (`rope_theta`).
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling
    /// Biases on the q, k and v projections (Llama `attention_bias`; always for Qwen2).
    public var queryKeyValueBias: Bool
    /// Bias on the attention output projection (Llama `attention_bias`; never for Qwen2).
    public var outputBias: Bool
    /// Biases on gate, up and down projections (`mlp_bias`).
    public var mlpBias: Bool
    /// The output head reuses the token embedding (`tie_word_embeddings`).
    public var tiedEmbeddings: Bool

    public init(family: Family = .llama, layers: Int, heads: Int, keyValueHeads: Int, width: Int, headSize: Int? = nil,
                intermediate: Int, context: Int, vocabulary: Int, rmsNormEpsilon: Double = 1e-5,
                ropeTheta: Double = 10_000, ropeScaling: RopeScaling = .none, attentionBias: Bool = false,
                mlpBias: Bool = false, tiedEmbeddings: Bool = false) {
        self.family = family
        self.layers = layers
        self.heads = heads
        self.keyValueHeads = keyValueHeads
        self.width = width
        self.headSize = headSize ?? (heads > 0 ? width / heads : 0)
        self.intermediate = intermediate
        self.context = context
        self.vocabulary = vocabulary
        self.rmsNormEpsilon = rmsNormEpsilon
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.queryKeyValueBias = family == .qwen2 || attentionBias
        self.outputBias = family == .llama && attentionBias
        self.mlpBias = mlpBias
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Throws, naming the field, when a size is not positive or the heads do not fit.
    public func validate() throws {
        for (name, value) in [("num_hidden_layers", layers), ("num_attention_heads", heads), ("num_key_value_heads", keyValueHeads),
                              ("hidden_size", width), ("head_dim", headSize), ("intermediate_size", intermediate),
                              ("max_position_embeddings", context), ("vocab_size", vocabulary)] where value <= 0 {
            throw ModelError.invalidConfig("\(name) is \(value); it must be positive")
        }
        if heads % keyValueHeads != 0 {
            throw ModelError.invalidConfig("num_attention_heads \(heads) is not a multiple of num_key_value_heads \(keyValueHeads)")
        }
        if headSize % 2 != 0 {
            throw ModelError.invalidConfig("head_dim \(headSize) is odd; rotary embeddings need an even head size")
        }
        guard rmsNormEpsilon > 0, rmsNormEpsilon.isFinite else {
            throw ModelError.invalidConfig("rms_norm_eps is \(rmsNormEpsilon); it must be positive")
        }
        guard ropeTheta > 0, ropeTheta.isFinite else { throw ModelError.invalidConfig("rope_theta is \(ropeTheta); it must be positive") }
        try ropeScaling.validate()
        // The context only sizes the rotary tables ([context, headSize / 2]); attention
        // buffers follow the length of each batch, so long-context models still load.
        let c = Double(width)
        let approximate = 2 * Double(vocabulary) * c + Double(layers) * (4 * c * Double(heads * headSize) + 3 * c * Double(intermediate))
        if approximate > 1e10 || Double(context) * Double(headSize) > 1e9 {
            throw ModelError.invalidConfig("about \(String(format: "%.3g", approximate)) parameters and a context of \(context) are beyond what this CPU implementation can hold")
        }
    }

    /// Parameter count (a tied head counted once).
    public var parameterCount: Int {
        let q = heads * headSize, kv = keyValueHeads * headSize, c = width
        var perLayer = 2 * c + c * (q + 2 * kv) + q * c + 3 * c * intermediate
        if queryKeyValueBias { perLayer += q + 2 * kv }
        if outputBias { perLayer += c }
        if mlpBias { perLayer += 2 * intermediate + c }
        return vocabulary * c * (tiedEmbeddings ? 1 : 2) + layers * perLayer + c
    }
}
