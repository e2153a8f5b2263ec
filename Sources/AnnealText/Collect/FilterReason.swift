/// Why a quality filter removed a document; the raw values are the keys of
/// `stats.json`'s `filters.removed`.
public enum FilterReason: String, Sendable, CaseIterable, Codable {
    case minChars = "min_chars"
    case maxChars = "max_chars"
    case minWords = "min_words"
    case maxWords = "max_words"
    case symbolRatio = "max_symbol_ratio"
    case duplicateLines = "max_duplicate_line_ratio"
    case topNgram = "max_top_ngram_ratio"
    case script = "required_script"
}
