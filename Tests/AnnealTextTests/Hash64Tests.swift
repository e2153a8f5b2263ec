import Testing
@testable import AnnealText

/// Hash64 must never change: splits, dedup keys and MinHash depend on it.
struct Hash64Tests {
    @Test func valuesArePinned() {
        // Recorded when the function was written; a change here moves documents between splits.
        #expect(Hash64.hash("") == 16_294_208_416_658_607_535)
        #expect(Hash64.hash("hello") == 15_092_856_867_685_964_958)
        #expect(Hash64.hash("The quick brown fox jumps over the lazy dog", seed: 7) == 2_225_273_685_718_437_301)
        #expect(Hash64.hash("hello") != Hash64.hash("hello", seed: 1))
        #expect(Hash64.hash("hello") != Hash64.hash("hellp"))
    }

    @Test func splitAssignmentIsPinned() throws {
        let s = try SplitAssigner(config: SplitConfig(validation: 0.3, test: 0.3))
        let letter: [SplitAssigner.Split: Character] = [.train: "r", .validation: "v", .test: "t"]
        let got = String((0..<12).map { letter[s.split("doc \($0)")]! })
        #expect(got == "vtrvrttrtrtt")
    }

    @Test func byteAndStringHashesAgree() {
        let text = "naïve café 日本 🙂"
        #expect(Hash64.hash(Array(text.utf8)) == Hash64.hash(text))
    }
}
