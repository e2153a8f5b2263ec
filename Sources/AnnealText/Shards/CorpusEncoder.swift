import Foundation

/// Encodes JSONL corpora (the `collect` outputs) into token shards, with
/// `<|endoftext|>` between documents, and writes `stats.json`.
///
/// Documents are encoded in batches on several threads (one `BPEEncoder`
/// each) and written in input order, so the shards are the same bytes for any
/// thread count.
public struct CorpusEncoder {
    /// The tokenizer applied.
    public let tokenizer: BPETokenizer
    /// Threads used for encoding (default: all cores).
    public var threads: Int
    /// Tokens per shard file.
    public var tokensPerShard: Int
    /// Special text in documents is encoded as plain text (never as control tokens).
    public let allowSpecial = false

    public init(tokenizer: BPETokenizer, threads: Int? = nil, tokensPerShard: Int = 1 << 28) {
        self.tokenizer = tokenizer
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.tokensPerShard = tokensPerShard
    }

    /// Encodes each named JSONL file (for example `("train", train.jsonl)`)
    /// into `<name>_NNNNN.tokens` shards in `outputDirectory`, then writes
    /// `stats.json`. Throws if the tokenizer has no `<|endoftext|>` or an input is malformed.
    @discardableResult
    public func encode(jsonl inputs: [(name: String, url: URL)], field: String = "text",
                       outputDirectory: URL) throws -> TokenShardStats {
        guard let eot = tokenizer.tokenId(forSpecial: "<|endoftext|>") else {
            throw TextError("the tokenizer has no <|endoftext|> token to separate documents; train it with that special token")
        }
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw TextError("cannot create \(outputDirectory.path): \(error.localizedDescription)")
        }
        var stats = TokenShardStats()
        stats.vocabularySize = tokenizer.vocabularySize
        stats.bytesPerTokenStored = TokenShardHeader.bytesPerToken(forVocabularySize: tokenizer.vocabularySize)
        stats.separatorId = eot
        let team = EncoderTeam(tokenizer: tokenizer, threads: threads)
        for (name, url) in inputs {
            var part = TokenShardStats.Part(name: name)
            let writer = try TokenShardWriter(directory: outputDirectory, prefix: name,
                                              vocabularySize: tokenizer.vocabularySize, tokensPerShard: tokensPerShard)
            let stream = try DocumentStream(config: CollectConfig(
                sources: [SourceSpec(jsonl: [url.path], field: field)], onError: .fail))
            var batch: [String] = []
            var finished = false
            while !finished {
                batch.removeAll(keepingCapacity: true)
                while batch.count < 1024, let d = try stream.next() { batch.append(d.text) }
                finished = batch.count < 1024
                let encoded = team.encode(batch, allowSpecial: allowSpecial)
                for (text, ids) in zip(batch, encoded) {
                    if part.documents > 0 { try writer.append([eot]) }
                    try writer.append(ids)
                    part.documents += 1
                    part.bytes += text.utf8.count
                }
            }
            try writer.finish()
            part.tokens = writer.tokenCount
            part.bytesPerToken = part.tokens == 0 ? 0 : Double(part.bytes) / Double(part.tokens)
            part.shards = writer.shards.map(\.lastPathComponent)
            stats.parts.append(part)
        }
        try Collector.writeStats(stats, to: outputDirectory.appendingPathComponent("stats.json"))
        return stats
    }
}
