/// What a collect run did, stage by stage; written as `stats.json` (keys in
/// snake_case, sorted) and shown by `anneal show`.
///
/// Characters are Unicode scalars. Each stage has the documents and characters
/// that came out of it: `read` (as read), `cleaned` (after cleaning and PII
/// scrubbing), `filtered` (after the quality filters), `deduplicated`, then one
/// count per split.
public struct CollectStats: Equatable, Sendable, Codable {
    /// Documents and characters at one point of the pipeline.
    public struct Count: Equatable, Sendable, Codable {
        /// Number of documents.
        public var documents = 0
        /// Their Unicode scalars.
        public var characters = 0
        public init() {}
        mutating func add(_ characters: Int) { documents += 1; self.characters += characters }
    }

    /// Near-dedup settings as used, with the false-negative estimates.
    public struct NearDedup: Equatable, Sendable, Codable {
        public var threshold: Double
        public var shingleSize: Int
        public var numPerm: Int
        public var bands: Int
        public var rows: Int
        /// (1 - t^rows)^bands at the threshold t: the share of pairs exactly at the
        /// threshold that LSH never compares.
        public var falseNegativeRateAtThreshold: Double
        /// The same at similarity 0.9 and 0.95.
        public var falseNegativeRateAt090: Double
        public var falseNegativeRateAt095: Double

        enum CodingKeys: String, CodingKey {
            case threshold, shingleSize = "shingle_size", numPerm = "num_perm", bands, rows
            case falseNegativeRateAtThreshold = "false_negative_rate_at_threshold"
            case falseNegativeRateAt090 = "false_negative_rate_at_0_90"
            case falseNegativeRateAt095 = "false_negative_rate_at_0_95"
        }
    }

    /// Files read.
    public var files = 0
    /// Uncompressed bytes read.
    public var bytesRead = 0
    /// Inputs skipped under `on_error: skip`.
    public var errors = InputErrorCounts()
    /// Documents as read from the sources.
    public var read = Count()
    /// After cleaning and PII scrubbing (characters counted after).
    public var cleaned = Count()
    /// Documents that cleaning left empty (they then fail `min_chars`/`min_words` if set).
    public var emptyAfterCleaning = 0
    /// Personal data replaced.
    public var pii = PIIScrubber.Counts()
    /// Documents in which anything was replaced.
    public var piiDocuments = 0
    /// Documents removed, by the filter that removed them.
    public var removedByFilter: [String: Int] = Dictionary(uniqueKeysWithValues: FilterReason.allCases.map { ($0.rawValue, 0) })
    /// Documents that passed every quality filter.
    public var filtered = Count()
    /// Removed as exact duplicates of an earlier document.
    public var exactDuplicatesRemoved = 0
    /// Removed as near duplicates (MinHash) of an earlier kept document.
    public var nearDuplicatesRemoved = 0
    /// Near-dedup settings and false-negative estimates (nil when off).
    public var nearDedup: NearDedup?
    /// Documents left after deduplication: the output.
    public var deduplicated = Count()
    /// The output, per split.
    public var train = Count()
    public var validation = Count()
    public var test = Count()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case files, bytesRead = "bytes_read", errors, read, cleaned, emptyAfterCleaning = "empty_after_cleaning"
        case pii, piiDocuments = "pii_documents", removedByFilter = "removed_by_filter", filtered
        case exactDuplicatesRemoved = "exact_duplicates_removed", nearDuplicatesRemoved = "near_duplicates_removed"
        case nearDedup = "near_dedup", deduplicated, train, validation, test
    }
}
