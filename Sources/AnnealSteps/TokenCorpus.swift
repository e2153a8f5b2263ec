import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation

/// A long stream of token ids to cut training windows from: either JSONL text
/// encoded in memory (documents joined by `<|endoftext|>`), or token shards
/// (`<part>_NNNNN.tokens`, as `tokenize` writes them) read through memory maps.
final class TokenCorpus {
    private var memory: [Int32] = []
    private var shards: [TokenShardReader] = []
    private var shardStarts: [Int] = []
    /// Total tokens.
    let count: Int
    /// The largest id in the corpus's vocabulary (shards) or tokenizer.
    let vocabularySize: Int
    /// Where the tokens came from, for messages.
    let source: String

    init(tokens: [Int32], vocabularySize: Int, source: String) {
        memory = tokens
        count = tokens.count
        self.vocabularySize = vocabularySize
        self.source = source
    }

    init(shards readers: [TokenShardReader], source: String) {
        shards = readers
        var start = 0
        for r in readers {
            shardStarts.append(start)
            start += r.count
        }
        count = start
        vocabularySize = readers.map(\.header.vocabularySize).max() ?? 0
        self.source = source
    }

    /// Whether `path` is a folder of token shards (rather than a JSONL file).
    static func isShardFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The shards of `part` in a folder (all `.tokens` files when no shard has
    /// that prefix); nil when there are none. `name` says in messages which
    /// input the folder is (default: its path).
    static func shards(in folder: String, part: String, name: String? = nil) throws -> TokenCorpus? {
        let url = URL(fileURLWithPath: folder)
        var urls = try TokenShardReader.shardURLs(in: url, prefix: part)
        if urls.isEmpty, part == "train" {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            urls = names.filter { $0.hasSuffix(".tokens") && !$0.hasPrefix("validation_") }.sorted()
                .map { url.appendingPathComponent($0) }
        }
        guard !urls.isEmpty else { return nil }
        return TokenCorpus(shards: try urls.map { try TokenShardReader(url: $0) },
                           source: name.map { "the \(part) shards of \($0)" } ?? "\(folder) (\(part) shards)")
    }

    /// Encodes the string `field` of every line of a JSONL file, documents
    /// separated by `<|endoftext|>`. A malformed line is an error naming the line.
    static func encode(jsonl path: String, field: String, tokenizer: BPETokenizer, name: String? = nil) throws -> TokenCorpus {
        guard let separator = tokenizer.tokenId(forSpecial: "<|endoftext|>") else {
            throw StepFailure("the tokenizer has no <|endoftext|> special token to separate documents; train it with that token")
        }
        let texts = try JSONLines.read(path).map { line -> String in
            guard let text = line.value[field]?.string else {
                throw StepFailure("\(path):\(line.number): no string field '\(field)'; set text_field to the field that holds the text")
            }
            return text
        }
        var tokens: [Int32] = []
        for (i, ids) in tokenizer.encodeBatch(texts, threads: 2).enumerated() {
            if i > 0 { tokens.append(Int32(separator)) }
            tokens += ids.map { Int32($0) }
        }
        return TokenCorpus(tokens: tokens, vocabularySize: tokenizer.vocabularySize, source: name ?? path)
    }

    /// `length` tokens from `start` (possibly across shard boundaries).
    func window(at start: Int, length: Int) throws -> [Int32] {
        precondition(start >= 0 && start + length <= count, "window outside the corpus")
        if shards.isEmpty { return Array(memory[start..<(start + length)]) }
        var out: [Int32] = []
        out.reserveCapacity(length)
        var position = start
        var shard = (shardStarts.lastIndex { $0 <= position }) ?? 0
        while out.count < length {
            let offset = position - shardStarts[shard]
            let take = min(length - out.count, shards[shard].count - offset)
            if take > 0 { out += try shards[shard].window(at: offset, length: take) }
            position += take
            shard += 1
        }
        return out
    }

    /// Fixed, evenly spaced windows of `length` tokens for evaluation: the
    /// same windows every time, so validation losses compare across steps and runs.
    func evaluationStarts(count windows: Int, length: Int) -> [Int] {
        let span = count - length
        guard span >= 0, windows > 0 else { return [] }
        if windows == 1 { return [0] }
        return (0..<windows).map { $0 * span / (windows - 1) }
    }
}
