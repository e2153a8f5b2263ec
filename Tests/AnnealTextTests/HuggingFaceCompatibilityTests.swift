import Foundation
import Testing
@testable import AnnealText

/// Anneal reads, encodes and trains exactly like Hugging Face `tokenizers`
/// (fixtures produced by Fixtures/make_fixture.py with tokenizers 0.23.3).
struct HuggingFaceCompatibilityTests {
    struct Encoding: Decodable { let text: String; let ids: [Int] }

    func encodings(_ file: String) throws -> [Encoding] {
        try JSONDecoder().decode([Encoding].self, from: FixtureFile.data(file))
    }

    @Test(arguments: [("tokenizer.json", "encodings.json"), ("tokenizer_legacy.json", "encodings.json"),
                      ("tokenizer.json", "encodings_random.json"),
                      ("tokenizer_prefix.json", "encodings_prefix.json"),
                      ("tokenizer_ignore_merges.json", "encodings_ignore_merges.json")])
    func encodesTheReferenceTextsIdentically(file: String, expected: String) throws {
        let tok = try BPETokenizer.load(contentsOf: FixtureFile.url(file))
        #expect(tok.vocabularySize == 600)
        #expect(tok.addPrefixSpace == (file == "tokenizer_prefix.json"))
        #expect(tok.ignoreMerges == (file == "tokenizer_ignore_merges.json"))
        let encoder = tok.makeEncoder()
        for e in try encodings(expected) {
            // tokenizers always matches added tokens, i.e. allowSpecial: true.
            #expect(encoder.encode(e.text, allowSpecial: true) == e.ids, "text: \(e.text.debugDescription)")
            if !tok.addPrefixSpace { #expect(try tok.decode(e.ids) == e.text) }
        }
    }

    @Test func trainingGivesTheSameVocabularyAndMerges() throws {
        let reference = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        var trainer = BPETrainer(config: TokenizerTrainingConfig(vocabSize: 600, minFrequency: 2))
        trainer.add(try FixtureFile.text("train_corpus.txt"))
        let trained = try trainer.train()
        #expect(trained.tokenBytes == reference.tokenBytes)
        #expect(trained.merges.elementsEqual(reference.merges, by: ==))
        #expect(trained.addedTokens == reference.addedTokens)
    }

    @Test func writtenFileReadsBackAndMatchesHuggingFaceFields() throws {
        let reference = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        let dir = try FixtureFile.temporaryDirectory("hfjson")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tokenizer.json")
        try reference.write(to: url)
        let again = try BPETokenizer.load(contentsOf: url)
        #expect(again.tokenBytes == reference.tokenBytes)
        #expect(again.merges.elementsEqual(reference.merges, by: ==))
        #expect(again.addedTokens == reference.addedTokens)
        // Same JSON content as the file tokenizers wrote.
        let mine = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: FixtureFile.data("tokenizer.json")) as! NSDictionary
        #expect(mine == theirs)
    }
}
