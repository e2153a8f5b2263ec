import Foundation
import Testing
@testable import AnnealText

/// Token shards round-trip, pick the narrowest width, and reject damage.
struct TokenShardTests {
    @Test(arguments: [(1000, 2), (70000, 4)])
    func writtenTokensReadBackAtRandom(vocabulary: Int, width: Int) throws {
        let dir = try FixtureFile.temporaryDirectory("shards")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try TokenShardWriter(directory: dir, prefix: "train", vocabularySize: vocabulary, tokensPerShard: 700)
        var rng = SeededGenerator(seed: 3)
        let tokens = (0..<1500).map { _ in Int.random(in: 0..<vocabulary, using: &rng) }
        try writer.append(Array(tokens[..<1000]))
        try writer.append(Array(tokens[1000...]))
        let urls = try writer.finish()
        #expect(urls.map(\.lastPathComponent) == ["train_00000.tokens", "train_00001.tokens", "train_00002.tokens"])
        #expect(try TokenShardReader.shardURLs(in: dir, prefix: "train") == urls)
        var all: [Int] = []
        for u in urls {
            let r = try TokenShardReader(url: u)
            #expect(r.header.bytesPerToken == width)
            #expect(r.header.vocabularySize == vocabulary)
            all += try r.window(at: 0, length: r.count).map(Int.init)
        }
        #expect(all == tokens)
        let r = try TokenShardReader(url: urls[1])
        #expect(r[5] == tokens[705])
        #expect(try r.window(at: 10, length: 3).map(Int.init) == Array(tokens[710..<713]))
        #expect(throws: TextError.self) { try r.window(at: 699, length: 2) }
        #expect(throws: TextError.self) { try writer.append([vocabulary]) }
    }

    @Test func damagedShardsAreErrors() throws {
        let dir = try FixtureFile.temporaryDirectory("badshards")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try TokenShardWriter(directory: dir, prefix: "x", vocabularySize: 10)
        try writer.append([1, 2, 3])
        let url = try writer.finish()[0]
        var bytes = try Data(contentsOf: url)
        let truncated = dir.appendingPathComponent("t.tokens")
        try bytes.dropLast().write(to: truncated)
        #expect(throws: TextError.self) { try TokenShardReader(url: truncated) }
        bytes[0] = 0x42
        let wrongMagic = dir.appendingPathComponent("m.tokens")
        try bytes.write(to: wrongMagic)
        #expect(throws: TextError.self) { try TokenShardReader(url: wrongMagic) }
        #expect(throws: TextError.self) { try TokenShardReader(url: dir.appendingPathComponent("none.tokens")) }
    }

    @Test func corpusEncoderSeparatesDocumentsAndCountsTokens() throws {
        let tok = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        let dir = try FixtureFile.temporaryDirectory("corpus")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("train.jsonl")
        let docs = ["the first one", "<|endoftext|> as text", "día tres 🙂"]
        try docs.map { #"{"text": \#(JSONText.quote($0)), "source": "s"}"# }.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let stats = try CorpusEncoder(tokenizer: tok, threads: 2).encode(jsonl: [("train", input)], outputDirectory: out)
        let reader = try TokenShardReader(url: out.appendingPathComponent("train_00000.tokens"))
        let ids = try reader.window(at: 0, length: reader.count).map(Int.init)
        let expected = tok.encode(docs[0]) + [0] + tok.encode(docs[1]) + [0] + tok.encode(docs[2])
        #expect(ids == expected)
        #expect(stats.parts[0].documents == 3 && stats.parts[0].tokens == expected.count)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("stats.json").path))
        let single = try CorpusEncoder(tokenizer: tok, threads: 1).encode(jsonl: [("train", input)], outputDirectory: dir.appendingPathComponent("one"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("one/train_00000.tokens")) ==
                Data(contentsOf: out.appendingPathComponent("train_00000.tokens")))
        #expect(single == stats)
    }
}

extension TokenShardTests {
    @Test func shardSetReadsWindowsAcrossShardBoundaries() throws {
        let dir = try FixtureFile.temporaryDirectory("set")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try TokenShardWriter(directory: dir, prefix: "train", vocabularySize: 500, tokensPerShard: 10)
        let tokens = (0..<35).map { ($0 * 7) % 500 }
        try writer.append(tokens)
        try writer.finish()
        let set = try TokenShardSet(directory: dir, prefix: "train")
        #expect(set.count == 35 && set.shards.count == 4 && set.vocabularySize == 500)
        #expect(try set.window(at: 8, length: 15).map(Int.init) == Array(tokens[8..<23]))
        #expect(try set.window(at: 0, length: 35).map(Int.init) == tokens)
        #expect(try set.window(at: 30, length: 5).map(Int.init) == Array(tokens[30..<35]))
        #expect(throws: TextError.self) { try set.window(at: 31, length: 5) }
        #expect(throws: TextError.self) { try TokenShardSet(directory: dir, prefix: "validation") }
    }
}
