import Foundation
import Testing
@testable import AnnealText

/// The tokenizers of the Llama 3, Qwen2, SmolLM, Llama 2 / TinyLlama, Mistral
/// and Gemma families encode and decode exactly like Hugging Face `tokenizers`
/// (fixtures by scripts/make-tokenizer-fixtures.py: tiny BPEs configured like
/// each family's tokenizer.json, with reference ids and decodes of texts.json).
struct FamilyTokenizerTests {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let ids_with_special: [Int]
        let decoded: String
        let decoded_skipping_special: String
        let decoded_without_last: String
    }
    struct Reference: Decodable { let cases: [Case] }

    static let families = ["llama3", "qwen2", "smollm", "llama2", "mistral", "gemma"]
    /// The families plus a character-level BPE without byte fallback (unknown characters become `<unk>`).
    static let tokenizers = families + ["unknown"]

    func load(_ family: String) throws -> (HuggingFaceTokenizer, [Case]) {
        let tok = try HuggingFaceTokenizer.load(contentsOf: FixtureFile.url("families/\(family)/tokenizer.json"))
        let ref = try JSONDecoder().decode(Reference.self, from: FixtureFile.data("families/\(family)/reference.json"))
        return (tok, ref.cases)
    }

    /// Compares UTF-8 bytes: Swift's `==` on String treats canonically equivalent texts as equal.
    func sameBytes(_ a: String, _ b: String) -> Bool { Array(a.utf8) == Array(b.utf8) }

    @Test(arguments: tokenizers)
    func encodesLikeHuggingFace(family: String) throws {
        let (tok, cases) = try load(family)
        let encoder = tok.makeEncoder()
        for c in cases {
            #expect(tok.encode(c.text, encoder: encoder) == c.ids, "\(family): \(c.text.debugDescription)")
            #expect(tok.encode(c.text, addSpecialTokens: true, encoder: encoder) == c.ids_with_special,
                    "\(family) with special tokens: \(c.text.debugDescription)")
        }
    }

    @Test(arguments: tokenizers)
    func decodesLikeHuggingFace(family: String) throws {
        let (tok, cases) = try load(family)
        for c in cases {
            let decoded = try tok.decode(c.ids_with_special)
            #expect(sameBytes(decoded, c.decoded), "\(family): \(decoded.debugDescription) vs \(c.decoded.debugDescription)")
            let skipping = try tok.decode(c.ids_with_special, skipSpecialTokens: true)
            #expect(sameBytes(skipping, c.decoded_skipping_special),
                    "\(family) skipping special: \(skipping.debugDescription) vs \(c.decoded_skipping_special.debugDescription)")
            // Without the last id a character can lose some of its bytes: U+FFFD as HF gives it.
            let cut = try tok.decode(Array(c.ids_with_special.dropLast()))
            #expect(sameBytes(cut, c.decoded_without_last), "\(family) cut: \(cut.debugDescription) vs \(c.decoded_without_last.debugDescription)")
        }
    }

    /// One tokenizer shared by several threads (each with its own encoder) gives the
    /// reference ids on every thread: the Split regex and the model are shared read-only.
    @Test func encodesIdenticallyOnSeveralThreadsAtOnce() async throws {
        let (tok, cases) = try load("llama3")
        let texts = cases.map(\.text), expected = cases.map(\.ids)
        let results = await withTaskGroup(of: [[Int]].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let encoder = tok.makeEncoder()
                    var all: [[Int]] = []
                    for _ in 0..<20 { all = texts.map { tok.encode($0, encoder: encoder) } }
                    return all
                }
            }
            var out: [[[Int]]] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 4)
        for r in results { #expect(r == expected) }
    }

    @Test func familiesAddTheirBeginningOfTextToken() throws {
        let expected = ["llama3": "<|begin_of_text|>", "llama2": "<s>", "mistral": "<s>", "gemma": "<bos>"]
        for family in Self.families {
            let (tok, _) = try load(family)
            let prefix = tok.prefixIds.map { tok.tokenStrings[$0] }
            #expect(prefix == (expected[family].map { [$0] } ?? []), "\(family)")
            #expect(tok.suffixIds.isEmpty)
        }
    }

    @Test func sentencePieceFamiliesFallBackToBytesForUnknownCharacters() throws {
        let (tok, _) = try load("llama2")
        #expect(!tok.isByteLevel)
        let ids = tok.encode("日")
        // "▁" then the three UTF-8 bytes of 日 (E6 97 A5) as byte tokens.
        #expect(ids.map { tok.tokenStrings[$0] } == ["▁", "<0xE6>", "<0x97>", "<0xA5>"])
        #expect(try tok.decode(ids) == "日")
    }

    @Test func withoutByteFallbackUnknownCharactersBecomeOneFusedUnknownToken() throws {
        let (tok, _) = try load("unknown")
        let unknown = try #require(tok.tokenId(for: "<unk>"))
        #expect(tok.encode("日本") == [tok.tokenId(for: "▁")!, unknown])
    }
}
