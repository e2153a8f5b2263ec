/// Everything the `collect` step needs: where the text comes from and what
/// happens to it. Field names follow the step's YAML (`sources`, `on_error`,
/// `clean`, `filters`, `pii`, `dedup`, `split`).
public struct CollectConfig: Equatable, Sendable {
    /// What to do with an unreadable file, invalid UTF-8 or a malformed JSONL line.
    public enum ErrorPolicy: String, Sendable, CaseIterable {
        /// Stop with an error naming the file and line (the default).
        case fail
        /// Skip the file or line, count it in `stats.json` and go on.
        case skip
    }

    /// `sources`: where documents come from, read in this order.
    public var sources: [SourceSpec]
    /// `on_error`: `fail` (default) or `skip`.
    public var onError: ErrorPolicy
    /// `clean`: normalisation and cleaning.
    public var cleaning: CleaningConfig
    /// `filters`: quality filters.
    public var filters: QualityFilterConfig
    /// `pii`: personal data scrubbing.
    public var pii: PIIConfig
    /// `dedup`: exact and near-duplicate removal.
    public var dedup: DedupConfig
    /// `split`: train / validation / test shares.
    public var split: SplitConfig
    /// `max_document_bytes`: a text file or JSONL line larger than this is an
    /// error (or skipped), which keeps memory bounded. Default 64 MiB.
    public var maxDocumentBytes: Int
    /// Directory that relative source paths are resolved against. Default: the current directory.
    public var baseDirectory: String?
    /// Threads for cleaning, filtering and hashing; the output does not depend on it. Default: all cores.
    public var threads: Int?

    public init(sources: [SourceSpec], onError: ErrorPolicy = .fail, cleaning: CleaningConfig = CleaningConfig(),
                filters: QualityFilterConfig = QualityFilterConfig(), pii: PIIConfig = PIIConfig(),
                dedup: DedupConfig = DedupConfig(), split: SplitConfig = SplitConfig(),
                maxDocumentBytes: Int = 64 << 20, baseDirectory: String? = nil, threads: Int? = nil) {
        self.sources = sources
        self.onError = onError
        self.cleaning = cleaning
        self.filters = filters
        self.pii = pii
        self.dedup = dedup
        self.split = split
        self.maxDocumentBytes = maxDocumentBytes
        self.baseDirectory = baseDirectory
        self.threads = threads
    }
}
