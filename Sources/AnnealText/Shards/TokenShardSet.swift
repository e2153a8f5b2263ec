import Foundation

/// All shards of one part (`train_00000.tokens`, `train_00001.tokens`, ...) seen
/// as one token sequence, so training code can read any window, including one
/// that crosses a shard boundary.
public final class TokenShardSet: @unchecked Sendable {
    /// The shards, in order.
    public let shards: [TokenShardReader]
    /// starts[i] = index of shard i's first token in the whole sequence.
    private let starts: [Int]
    /// Tokens in all shards.
    public let count: Int

    /// Opens `<prefix>_NNNNN.tokens` in `directory`. Throws if there are none,
    /// a shard is damaged, or the shards disagree on the vocabulary.
    public init(directory: URL, prefix: String) throws {
        let urls = try TokenShardReader.shardURLs(in: directory, prefix: prefix)
        guard !urls.isEmpty else {
            throw TextError("no token shards '\(prefix)_*.tokens' in \(directory.path); run the tokenize step first")
        }
        shards = try urls.map(TokenShardReader.init(url:))
        let vocabularies = Set(shards.map(\.header.vocabularySize))
        guard vocabularies.count == 1 else {
            throw TextError("token shards '\(prefix)_*' in \(directory.path) come from different vocabularies \(vocabularies.sorted()); rebuild them")
        }
        var s: [Int] = []
        var total = 0
        for r in shards { s.append(total); total += r.count }
        starts = s
        count = total
    }

    /// Vocabulary size of the tokenizer that wrote the shards.
    public var vocabularySize: Int { shards[0].header.vocabularySize }

    /// `length` tokens from `start` of the whole sequence. Throws if the window
    /// does not lie inside it.
    public func window(at start: Int, length: Int) throws -> [Int32] {
        guard start >= 0, length >= 0, start <= count - length else {
            throw TextError("token window \(start)..<\(start + length) is outside 0..<\(count)")
        }
        var out: [Int32] = []
        out.reserveCapacity(length)
        // The last shard starting at or before `start` (binary search).
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= start { lo = mid } else { hi = mid - 1 }
        }
        var shard = lo
        var position = start - starts[shard]
        while out.count < length {
            let r = shards[shard]
            let take = min(length - out.count, r.count - position)
            if take > 0 { out += try r.window(at: position, length: take) }
            shard += 1
            position = 0
        }
        return out
    }
}
