/// A tokenizer that runs a model family's `tokenizer.json` the way Hugging Face
/// `tokenizers` does: added tokens split out first, then normalizer,
/// pre-tokenizer and BPE model on the text between them, then the
/// post-processor's special tokens on request; `decode` runs the decoder.
///
/// Covers byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM) and SentencePiece-style
/// BPE with byte fallback (Llama 2, TinyLlama, Mistral, Gemma). Loading refuses a
/// file using any component it does not implement (see `load(contentsOf:)`).
/// Immutable and safe to share between threads; keep one `BPEEncoder` per thread
/// (`makeEncoder()`) when encoding a lot of text.
public final class HuggingFaceTokenizer: Sendable {
    /// The BPE model: vocabulary, merges and how a piece starts (bytes or characters).
    public let model: BPETokenizer
    /// Whether the vocabulary is spelled in the ByteLevel alphabet (the pre-tokenizer includes ByteLevel).
    public let isByteLevel: Bool
    /// The ids the post-processor puts before and after one sequence
    /// (`<s>`, `<|begin_of_text|>`, `<bos>`; empty for Qwen2 and SmolLM).
    public let prefixIds: [Int]
    public let suffixIds: [Int]
    /// Token id -> its string in `tokenizer.json` (ByteLevel alphabet, `▁`, `<0x41>`,
    /// or an added token's content); empty for unused ids.
    public let tokenStrings: [String]
    let normalizer: TextNormalizer?
    let preTokenizer: PreTokenizer?
    let decoder: TokenDecoder?
    let addedVocabulary: AddedVocabulary
    let specialIds: Set<Int>
    let idOfString: [String: Int]

    init(model: BPETokenizer, isByteLevel: Bool, normalizer: TextNormalizer?, preTokenizer: PreTokenizer?,
         decoder: TokenDecoder?, addedTokens: [AddedTokenRule], prefixIds: [Int], suffixIds: [Int], tokenStrings: [String]) {
        self.model = model
        self.isByteLevel = isByteLevel
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.decoder = decoder
        self.addedVocabulary = AddedVocabulary(rules: addedTokens, normalizer: normalizer)
        self.prefixIds = prefixIds
        self.suffixIds = suffixIds
        self.tokenStrings = tokenStrings
        self.specialIds = Set(addedTokens.filter(\.special).map(\.id))
        var idOf: [String: Int] = [:]
        for (id, s) in tokenStrings.enumerated() where !s.isEmpty && idOf[s] == nil { idOf[s] = id }
        self.idOfString = idOf
    }

    /// Added tokens with the flags that place them, in id order.
    public var addedTokens: [AddedTokenRule] { addedVocabulary.rules }

    /// Number of ids (one more than the largest id).
    public var vocabularySize: Int { tokenStrings.count }

    /// The id of the token spelled `string` in `tokenizer.json` (an added token's content, `<s>`, `▁the`, `Ġthe`).
    public func tokenId(for string: String) -> Int? { idOfString[string] }

    /// A new encoder with its own cache; use one per thread.
    public func makeEncoder() -> BPEEncoder { model.makeEncoder() }

    /// Token ids of `text`. Added tokens in the text are always recognised (as in
    /// `tokenizers`); `addSpecialTokens` adds the post-processor's tokens around
    /// the result (the BOS of Llama, Mistral and Gemma).
    public func encode(_ text: String, addSpecialTokens: Bool = false, encoder: BPEEncoder? = nil) -> [Int] {
        let encoder = encoder ?? model.makeEncoder()
        var out: [Int] = addSpecialTokens ? prefixIds : []
        for segment in addedVocabulary.segments(of: Array(text.utf8), normalizer: normalizer) {
            switch segment {
            case .token(let id):
                out.append(id)
            case .text(let piece):
                for p in preTokenizer?.split([piece]) ?? [piece] { encoder.appendPiece(p.bytes, to: &out) }
            }
        }
        if addSpecialTokens { out += suffixIds }
        return out
    }

    /// The text of `ids` as `tokenizers`' `decode` gives it: the token strings
    /// (without special added tokens when `skipSpecialTokens`) through the
    /// decoder, or joined by spaces when there is none. Throws on an unknown id.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard id >= 0, id < tokenStrings.count, !tokenStrings[id].isEmpty else {
                throw TextError("token id \(id) is not in the vocabulary (size \(tokenStrings.count))")
            }
            if skipSpecialTokens && specialIds.contains(id) { continue }
            tokens.append(tokenStrings[id])
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decode(tokens).joined()
    }
}
