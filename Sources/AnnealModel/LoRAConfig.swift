/// Low-rank adapters: W x becomes W x + (alpha / rank) B A dropout(x) on the
/// chosen projections, with A [rank, in] and B [out, rank] trained and the base
/// weights frozen.
public struct LoRAConfig: Codable, Equatable, Sendable {
    /// The projections that get adapters.
    public enum Target: String, Codable, CaseIterable, Sendable {
        /// The fused QKV projection `attn.c_attn`.
        case attention = "c_attn"
        /// The attention output projection `attn.c_proj`.
        case attentionOutput = "attn.c_proj"
        /// The MLP input projection `mlp.c_fc`.
        case mlpInput = "c_fc"
        /// The MLP output projection `mlp.c_proj`.
        case mlpOutput = "mlp.c_proj"
    }

    public var rank: Int
    public var alpha: Float
    /// Probability of zeroing an adapter input element during training.
    public var dropout: Float
    public var targets: [Target]

    public init(rank: Int, alpha: Float, dropout: Float = 0, targets: [Target] = [.attention]) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targets = targets
    }

    /// alpha / rank, the factor on the adapter product.
    public var scale: Float { alpha / Float(rank) }

    public func validate() throws {
        if rank <= 0 { throw ModelError.invalidConfig("LoRA rank is \(rank); it must be positive") }
        if !(0..<1).contains(dropout) { throw ModelError.invalidConfig("LoRA dropout is \(dropout); it must be in [0, 1)") }
        if targets.isEmpty { throw ModelError.invalidConfig("LoRA has no targets; name at least one projection") }
    }
}
