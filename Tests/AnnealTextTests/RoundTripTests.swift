import Testing
@testable import AnnealText

/// decode(encode(x)) == x for any valid Unicode text.
struct RoundTripTests {
    @Test func randomUnicodeRoundTrips() throws {
        let tok = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        let encoder = tok.makeEncoder()
        var rng = SeededGenerator(seed: 2024)
        for _ in 0..<300 {
            let text = RandomText.make(&rng, length: Int.random(in: 0..<80, using: &rng))
            #expect(try tok.decode(encoder.encode(text)) == text)
            #expect(try tok.decode(encoder.encode(text, allowSpecial: true)) == text)
        }
    }

    @Test func longPiecesRoundTripThroughTheHeapMerge() throws {
        let tok = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        let text = String(repeating: "the", count: 700) + String(repeating: "日本語", count: 100)
        let ids = tok.encode(text)
        #expect(try tok.decode(ids) == text)
        // The heap merge (long pieces) agrees with the quadratic scan.
        let quadratic = tok.makeEncoder()
        quadratic.quadraticMergeLimit = Int.max
        let heap = tok.makeEncoder()
        heap.quadraticMergeLimit = 1
        let sample = String(repeating: "the", count: 200) + " " + String(repeating: "日本語", count: 40)
        #expect(quadratic.encode(sample) == heap.encode(sample))
        #expect(quadratic.encode(sample).count < sample.utf8.count / 2)
    }

    @Test func unknownIdIsAnErrorNotACrash() throws {
        let tok = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        #expect(throws: TextError.self) { try tok.decode([5, 600]) }
        #expect(throws: TextError.self) { try tok.decode([-1]) }
    }
}
