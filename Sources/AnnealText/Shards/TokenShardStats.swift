/// What encoding a corpus into shards produced; written as `stats.json`.
public struct TokenShardStats: Equatable, Sendable, Codable {
    /// One input (e.g. `train`) and its shards.
    public struct Part: Equatable, Sendable, Codable {
        public var name: String
        public var documents = 0
        public var tokens = 0
        /// UTF-8 bytes of the documents' text.
        public var bytes = 0
        /// bytes / tokens, counting the separators as tokens.
        public var bytesPerToken = 0.0
        /// Shard file names, in order.
        public var shards: [String] = []

        public init(name: String) { self.name = name }

        enum CodingKeys: String, CodingKey {
            case name, documents, tokens, bytes, bytesPerToken = "bytes_per_token", shards
        }
    }

    public var vocabularySize = 0
    /// 2 (uint16) or 4 (uint32).
    public var bytesPerTokenStored = 2
    /// The separator token between documents.
    public var separatorId = 0
    public var parts: [Part] = []

    public init() {}

    /// All tokens of all parts.
    public var tokens: Int { parts.reduce(0) { $0 + $1.tokens } }

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocabulary_size", bytesPerTokenStored = "token_bytes", separatorId = "separator_id", parts
    }
}
