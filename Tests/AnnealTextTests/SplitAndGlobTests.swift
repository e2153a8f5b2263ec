import Testing
@testable import AnnealText

/// Hash splits are stable and proportional; globs match like a shell's.
struct SplitAndGlobTests {
    @Test func splitDependsOnTheDocumentOnly() throws {
        let s = try SplitAssigner(config: SplitConfig(validation: 0.1, test: 0.1))
        var counts: [SplitAssigner.Split: Int] = [:]
        for i in 0..<5000 { counts[s.split("document number \(i)"), default: 0] += 1 }
        #expect((400...600).contains(counts[.validation]!))
        #expect((400...600).contains(counts[.test]!))
        #expect(s.split("same text") == s.split("same text"))
        let reseeded = try SplitAssigner(config: SplitConfig(validation: 0.1, test: 0.1, seed: 9))
        let moved = (0..<1000).filter { s.split("d\($0)") != reseeded.split("d\($0)") }.count
        #expect(moved > 0)
        #expect(throws: TextError.self) { try SplitAssigner(config: SplitConfig(validation: 0.6, test: 0.5)) }
    }

    @Test func globs() {
        #expect(GlobPattern("**/*.md").matches("a.md"))
        #expect(GlobPattern("**/*.md").matches("x/y/a.md"))
        #expect(!GlobPattern("*.md").matches("x/a.md"))
        #expect(GlobPattern("x/**/b?.txt").matches("x/b1.txt"))
        #expect(GlobPattern("x/**/b?.txt").matches("x/1/2/b2.txt"))
        #expect(!GlobPattern("x/**/b?.txt").matches("y/b1.txt"))
        #expect(GlobPattern("[ab].txt").matches("b.txt"))
        #expect(!GlobPattern("*.txt").matches(".hidden.txt"))
        #expect(!GlobPattern("**/*.md").matches(".git/x.md"))
    }
}
