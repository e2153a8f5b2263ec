/// Settings of byte-level BPE training; field names follow the `tokenizer`
/// step's YAML (`vocab_size`, `min_frequency`, `special_tokens`).
public struct TokenizerTrainingConfig: Equatable, Sendable {
    /// `vocab_size`: ids in the finished vocabulary, counting the special tokens
    /// and the 256 byte tokens. Default 8192. Training stops earlier if no pair
    /// is frequent enough.
    public var vocabSize: Int
    /// `min_frequency`: a pair is merged only if it occurs at least this many
    /// times (weighted by word counts). Default 2.
    public var minFrequency: Int
    /// `special_tokens`: added tokens, given ids 0, 1, ... in this order.
    /// Default `<|endoftext|>`, `<|im_start|>`, `<|im_end|>`.
    public var specialTokens: [String]

    public init(vocabSize: Int = 8192, minFrequency: Int = 2,
                specialTokens: [String] = AddedToken.defaultSpecialTokens) {
        self.vocabSize = vocabSize
        self.minFrequency = minFrequency
        self.specialTokens = specialTokens
    }
}
