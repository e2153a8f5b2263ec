/// The `collect` step's `filters:` settings. Each filter can be switched off
/// with nil; each is counted separately in `stats.json` (a document is counted
/// under the first filter that rejects it, in the order listed here).
public struct QualityFilterConfig: Equatable, Sendable {
    /// `min_chars`: fewest characters (after cleaning). Default 1 (drops empty documents).
    public var minChars: Int?
    /// `max_chars`: most characters. Default 1,000,000.
    public var maxChars: Int?
    /// `min_words`: fewest words (runs of letters or digits). Default 1.
    public var minWords: Int?
    /// `max_words`: most words. Default off.
    public var maxWords: Int?
    /// `max_symbol_ratio`: largest share of non-whitespace characters that are
    /// neither letters nor digits. Default 0.5.
    public var maxSymbolRatio: Double?
    /// `max_duplicate_line_ratio`: largest share of non-blank lines that repeat an
    /// earlier line of the same document (Gopher). Default 0.3.
    public var maxDuplicateLineRatio: Double?
    /// `max_top_ngram_ratio`: for word n-grams of size n, the largest share of the
    /// words' characters covered by the most frequent repeated n-gram (Gopher:
    /// 0.20 for 2-grams, 0.18 for 3-grams, 0.16 for 4-grams, the default).
    public var maxTopNgramRatio: [Int: Double]?
    /// `required_script`: a script the letters must mostly be in (`latin`,
    /// `cyrillic`, `greek`, `arabic`, `hebrew`, `devanagari`, `han`, `kana`,
    /// `hangul`, `thai`). Default off.
    public var requiredScript: UnicodeScript?
    /// `min_script_ratio`: share of letters that must be in `required_script`. Default 0.5.
    public var minScriptRatio: Double

    public init(minChars: Int? = 1, maxChars: Int? = 1_000_000, minWords: Int? = 1, maxWords: Int? = nil,
                maxSymbolRatio: Double? = 0.5, maxDuplicateLineRatio: Double? = 0.3,
                maxTopNgramRatio: [Int: Double]? = [2: 0.20, 3: 0.18, 4: 0.16],
                requiredScript: UnicodeScript? = nil, minScriptRatio: Double = 0.5) {
        self.minChars = minChars
        self.maxChars = maxChars
        self.minWords = minWords
        self.maxWords = maxWords
        self.maxSymbolRatio = maxSymbolRatio
        self.maxDuplicateLineRatio = maxDuplicateLineRatio
        self.maxTopNgramRatio = maxTopNgramRatio
        self.requiredScript = requiredScript
        self.minScriptRatio = minScriptRatio
    }

    /// Every filter off.
    public static let none = QualityFilterConfig(minChars: nil, maxChars: nil, minWords: nil, maxWords: nil,
                                                 maxSymbolRatio: nil, maxDuplicateLineRatio: nil,
                                                 maxTopNgramRatio: nil)
}
