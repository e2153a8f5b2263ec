/// A token matched as a whole string rather than built by merges, such as
/// `<|endoftext|>` or the chat-template markers `<|im_start|>` and `<|im_end|>`.
///
/// Added tokens are only recognised in text when the caller asks
/// (`encode(_:allowSpecial: true)`); otherwise their text is encoded as ordinary bytes.
public struct AddedToken: Equatable, Sendable {
    /// The token's id in the vocabulary.
    public var id: Int
    /// The literal text of the token.
    public var content: String
    /// Whether Hugging Face should treat it as special (skipped by `skip_special_tokens`).
    public var special: Bool

    public init(id: Int, content: String, special: Bool = true) {
        self.id = id
        self.content = content
        self.special = special
    }

    /// The special tokens a new tokenizer is trained with unless told otherwise:
    /// the document separator and the two chat-template markers (ChatML).
    public static let defaultSpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
}
