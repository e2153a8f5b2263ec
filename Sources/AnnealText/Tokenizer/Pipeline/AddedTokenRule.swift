/// An entry of `added_tokens` in a `tokenizer.json`, with the flags that decide
/// where in text it is recognised.
public struct AddedTokenRule: Equatable, Sendable {
    public var id: Int
    public var content: String
    /// Special tokens are dropped by `decode(_:skipSpecialTokens: true)`.
    public var special: Bool
    /// Whether it is matched in normalized text (against its normalized content)
    /// rather than in the raw text.
    public var normalized: Bool
    /// Whether the whitespace before a match belongs to the token.
    public var lstrip: Bool
    /// Whether the whitespace after a match belongs to the token.
    public var rstrip: Bool
    /// Whether it is matched only when no word character touches it on either side.
    public var singleWord: Bool

    public init(id: Int, content: String, special: Bool, normalized: Bool = false,
                lstrip: Bool = false, rstrip: Bool = false, singleWord: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.normalized = normalized
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }
}
