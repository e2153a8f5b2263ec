import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation
import Testing

@Suite struct DataStepTokenizeTests {
    static let pipeline = "name: shards\nsteps:\n" + MessyCorpus.collectStep(extra: "      split: { validation: 0.25 }") + """

          tokenizer:
            kind: tokenizer
            with: { text: "${corpus.train}", vocab_size: 400 }
          tokens:
            kind: tokenize
            with:
              tokenizer: ${tokenizer.tokenizer}
              text: ${corpus.train}
              validation: ${corpus.validation}
              tokens_per_shard: 300

        """

    /// The tokens of every shard of a part, in order.
    static func tokens(in folder: String, part: String) throws -> [Int] {
        var out: [Int] = []
        for url in try TokenShardReader.shardURLs(in: URL(fileURLWithPath: folder), prefix: part) {
            let reader = try TokenShardReader(url: url)
            out += (0..<reader.count).map { reader[$0] }
        }
        return out
    }

    @Test func shardsHoldTheDocumentsInOrderJoinedByEndOfText() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(record.steps.map(\.reasons))")
        let folder = try w.path(record, "tokens", "shards")
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: try w.path(record, "tokenizer", "tokenizer")))
        let eot = try #require(tokenizer.tokenId(forSpecial: "<|endoftext|>"))

        for (part, output) in [("train", "train"), ("validation", "validation")] {
            let documents = try w.lines(record, "corpus", output).map { $0["text"] as! String }
            #expect(!documents.isEmpty)
            let ids = try Self.tokens(in: folder, part: part)
            #expect(ids.filter { $0 == eot }.count == documents.count - 1, "a separator between documents, none after the last")
            #expect(try tokenizer.decode(ids) == documents.joined(separator: "<|endoftext|>"))
            let metrics = try #require(record.step("tokens")?.metrics)
            #expect(metrics["\(part)_tokens"] == .int(ids.count))
            #expect(metrics["\(part)_documents"] == .int(documents.count))
        }
        let trainShards = try TokenShardReader.shardURLs(in: URL(fileURLWithPath: folder), prefix: "train")
        #expect(trainShards.count > 1, "300 tokens per shard")
        #expect(try trainShards.dropLast().allSatisfy { try TokenShardReader(url: $0).count == 300 })

        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/stats.json"))) as! [String: Any]
        #expect(stats["vocabulary_size"] as? Int == 400)
        #expect(stats["separator_id"] as? Int == eot)
        #expect((stats["parts"] as? [[String: Any]])?.map { $0["name"] as? String } == ["train", "validation"])
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names.allSatisfy { $0 == "stats.json" || ($0.hasSuffix(".tokens") && ($0.hasPrefix("train_") || $0.hasPrefix("validation_"))) })
    }

    @Test func aRerunIsCachedAndANewVocabularyRerunsOnlyTheTokenSteps() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline)
        let first = try w.run()
        #expect(first.outcome == .succeeded)
        #expect(try w.run().count(.cached) == 3)
        try w.write("p.yaml", Self.pipeline.replacingOccurrences(of: "vocab_size: 400", with: "vocab_size: 420"))
        let changed = try w.run()
        #expect(changed.step("corpus")?.outcome == .cached)
        #expect(changed.step("tokenizer")?.outcome == .ran)
        #expect(changed.step("tokens")?.outcome == .ran)
    }
}
