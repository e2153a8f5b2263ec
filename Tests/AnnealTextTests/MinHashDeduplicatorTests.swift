import Foundation
import Testing
@testable import AnnealText

/// MinHash + LSH finds near duplicates, keeps the first, and documents its odds.
struct MinHashDeduplicatorTests {
    func words(_ s: String) -> [UInt64] { WordScanner.scan(s).words.map(\.hash) }

    @Test func nearDuplicateIsFoundAndDifferentTextIsNot() throws {
        let dedup = try MinHashDeduplicator(config: DedupConfig(near: 0.7))
        let base = (0..<200).map { "w\($0 * 7919 % 1000)" }.joined(separator: " ")
        var edited = base.split(separator: " ").map(String.init)
        edited[100] = "changed"
        let other = (0..<200).map { "z\($0 * 31 % 997)" }.joined(separator: " ")
        let s1 = try #require(dedup.hasher.signature(words: words(base)))
        let s2 = try #require(dedup.hasher.signature(words: words(edited.joined(separator: " "))))
        let s3 = try #require(dedup.hasher.signature(words: words(other)))
        #expect(dedup.checkAndInsert(s1) == false)   // first occurrence kept
        #expect(dedup.checkAndInsert(s2) == true)    // one word changed: near duplicate
        #expect(dedup.checkAndInsert(s3) == false)
        #expect(dedup.keptCount == 2)
        #expect(dedup.hasher.signature(words: []) == nil)
    }

    @Test func caseAndPunctuationDoNotHideDuplicates() throws {
        let dedup = try MinHashDeduplicator(config: DedupConfig(near: 0.8))
        let a = "The quick brown fox jumps over the lazy dog near the river bank today"
        #expect(dedup.checkAndInsert(dedup.hasher.signature(words: words(a))!) == false)
        #expect(dedup.checkAndInsert(dedup.hasher.signature(words: words(a.uppercased() + "!!"))!) == true)
    }

    @Test func lshParametersAndFalseNegativeFormula() throws {
        let d = try MinHashDeduplicator(config: DedupConfig(near: 0.8, numPerm: 128))
        #expect(d.bands == 14 && d.rows == 9)
        // The S-curve is steep around the threshold.
        #expect(d.falseNegativeRate(atSimilarity: 0.95) < 0.01)
        #expect(MinHashDeduplicator.candidateProbability(similarity: 0.3, bands: d.bands, rows: d.rows) < 0.01)
        let fn = d.falseNegativeRate(atSimilarity: 0.8)
        #expect(abs(fn - pow(1 - pow(0.8, Double(d.rows)), Double(d.bands))) < 1e-12)
        let fixed = try MinHashDeduplicator(config: DedupConfig(near: 0.8, numPerm: 128, bands: 16))
        #expect(fixed.bands == 16 && fixed.rows == 8)
        #expect(throws: TextError.self) { try MinHashDeduplicator(config: DedupConfig(near: 1.5)) }
    }
}
