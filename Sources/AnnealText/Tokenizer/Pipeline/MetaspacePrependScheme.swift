/// When the Metaspace pre-tokenizer puts its replacement character (`▁`) before
/// a piece, and when its decoder removes it again.
enum MetaspacePrependScheme: String, Sendable {
    /// Before every piece that does not start with it.
    case always
    /// Only before the piece that starts the text (not one that follows an added token).
    case first
    /// Never.
    case never
}
