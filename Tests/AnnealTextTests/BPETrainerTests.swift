import Foundation
import Testing
@testable import AnnealText

/// Training rules: tie-break, minimum frequency, determinism, hostile input.
struct BPETrainerTests {
    func train(_ texts: [String], vocab: Int, minFrequency: Int = 1) throws -> BPETokenizer {
        var t = BPETrainer(config: TokenizerTrainingConfig(vocabSize: vocab, minFrequency: minFrequency, specialTokens: ["<|endoftext|>"]))
        for x in texts { t.add(x) }
        return try t.train()
    }

    func spelled(_ tok: BPETokenizer, _ merge: (Int, Int)) -> String {
        String(decoding: tok.tokenBytes[merge.0] + tok.tokenBytes[merge.1], as: UTF8.self)
    }

    @Test func tiesGoToTheSmallestPairOfIds() throws {
        // "cd" and "ab" occur equally often: (a, b) has the smaller ids and goes first.
        let tok = try train(["cd ab cd ab"], vocab: 259)
        #expect(tok.merges.count == 2)
        #expect(spelled(tok, tok.merges[0]) == "ab")
        #expect(spelled(tok, tok.merges[1]) == "cd")
    }

    @Test func mostFrequentPairFirstAndMinimumFrequencyStops() throws {
        let tok = try train(["xy xy xy ab"], vocab: 400, minFrequency: 2)
        #expect(tok.merges.map { spelled(tok, $0) } == ["xy", " xy"])
    }

    @Test func trainingIsDeterministic() throws {
        var rng = SeededGenerator(seed: 5)
        let texts = (0..<50).map { _ in RandomText.make(&rng, length: 40) + " the theory of the thing" }
        let a = try train(texts, vocab: 320)
        let b = try train(texts, vocab: 320)
        #expect(a.huggingFaceJSON() == b.huggingFaceJSON())
    }

    @Test func aLongRepeatedWordTrainsInLinearTime() throws {
        let word = String(repeating: "a", count: 50_000)
        let tok = try train([word, word], vocab: 270)
        #expect(try tok.decode(tok.encode(word)) == word)
        #expect(tok.encode(word).count < 1_000)
    }
}

extension BPETrainerTests {
    @Test func trainsFromACollectedJSONLFile() throws {
        let dir = try FixtureFile.temporaryDirectory("trainjsonl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("train.jsonl")
        try #"{"text": "low lower lowest", "source": "a:1"}"#.appending("\n").appending(#"{"text": "newer newest", "source": "a:2"}"#)
            .write(to: url, atomically: true, encoding: .utf8)
        var t = BPETrainer(config: TokenizerTrainingConfig(vocabSize: 270, minFrequency: 1))
        #expect(try t.addJSONL(url) == 2)
        let tok = try t.train()
        #expect(try tok.decode(tok.encode("lowest newer")) == "lowest newer")
        try "not json\n".write(to: url, atomically: true, encoding: .utf8)
        var bad = BPETrainer()
        #expect { try bad.addJSONL(url) } throws: { ($0 as? TextError)?.message.contains("train.jsonl:1:1") == true }
    }
}
