/// Text cut at its added tokens: either an added token's id or a stretch of
/// (normalized) text for the pre-tokenizer and the model.
enum TokenizerSegment: Equatable, Sendable {
    case token(Int)
    case text(TextPiece)
}
