/// A stretch of text on its way through a tokenizer pipeline, as UTF-8 bytes.
/// `startsText` says whether it begins where the original text begins (Metaspace's
/// `prepend_scheme: first` adds `▁` only to such a piece).
struct TextPiece: Equatable, Sendable {
    var bytes: [UInt8]
    var startsText: Bool
}
