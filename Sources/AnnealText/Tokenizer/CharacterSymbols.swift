/// How a SentencePiece-style BPE (Llama 2, Mistral, Gemma) starts a piece: one
/// symbol per character found in the vocabulary; a character it lacks becomes
/// the byte tokens `<0xE4>`, `<0xB8>`, ... of its UTF-8 bytes when every one of
/// them exists (`byte_fallback`), otherwise the unknown token, consecutive
/// unknowns fused into one when `fuseUnknown` is set; with neither, the
/// character is dropped. This is the order Hugging Face's BPE model tries them.
public struct CharacterSymbols: Sendable, Equatable {
    /// Id of the token `<0xHH>` for each byte value, or -1 where the vocabulary lacks it;
    /// empty when the model has no byte fallback.
    public var byteFallbackTokens: [Int32]
    /// Id of `unk_token`, if the model has one.
    public var unknownToken: Int?
    /// Whether consecutive unknown characters give one unknown token (`fuse_unk`).
    public var fuseUnknown: Bool

    public init(byteFallbackTokens: [Int32], unknownToken: Int?, fuseUnknown: Bool) {
        self.byteFallbackTokens = byteFallbackTokens
        self.unknownToken = unknownToken
        self.fuseUnknown = fuseUnknown
    }
}
