import AnnealSpec
import AnnealSteps
import Foundation
import Testing

/// Mistakes in the data kinds' `with:` are found by the compiler, before
/// anything runs, at their line and column.
@Suite struct DataStepSchemaTests {
    static let header = """
        name: errors
        steps:
          corpus:
            kind: collect
            with:
              sources:
                - files: data/*.txt

        """

    func check(_ body: String, at position: String, _ message: String, hint: String? = nil) throws {
        let w = try DataStepWorkspace()
        try w.write("data/a.txt", "some text\n")
        try w.write("p.yaml", Self.header + body)
        let diagnostics = w.diagnostics()
        let found = diagnostics.first { d in
            d.location.map { "\($0.line):\($0.column)" } == position && d.message.contains(message)
                && (hint.map { d.hint?.contains($0) == true } ?? true)
        }
        #expect(found != nil, "expected \(position) \(message); got \(diagnostics.map(\.description))")
        #expect(found?.location?.file.hasSuffix("p.yaml") == true)
    }

    @Test func aMisspelledFilterGetsADidYouMean() throws {
        try check("      filters: { min_word: 20 }\n", at: "8:18",
                  "unknown field 'min_word' in 'with.filters' of step 'corpus' (did you mean 'min_words'?)")
    }

    @Test func aMisspelledSourceFieldGetsADidYouMean() throws {
        try check("        - jsnl: data/a.txt\n", at: "8:11", "unknown field 'jsnl' in 'with.sources[1]' of step 'corpus' (did you mean 'jsonl'?)")
    }

    @Test func settingsAreCheckedAgainstTheirTypes() throws {
        try check("      on_error: ignore\n", at: "8:17", "'with.on_error' must be one of fail, skip, not 'ignore'")
        try check("      dedup: { near: 1.5 }\n", at: "8:22", "'with.dedup.near' must be at most 1.0, not 1.5")
        try check("      dedup: { near: of }\n", at: "8:22", "'with.dedup.near' must be a number, not 'of'")
        try check("      filters: { required_script: latn }\n", at: "8:35", "not 'latn' (did you mean 'latin'?)")
        try check("      clean: { normalization: NFC }\n", at: "8:31", "'with.clean.normalization' must be one of nfc, nfkc, none, not 'NFC' (did you mean 'nfc'?)")
        try check("      split: { validation: 0.1, tets: 0.1 }\n", at: "8:33", "unknown field 'tets' in 'with.split' of step 'corpus' (did you mean 'test'?)")
    }

    @Test func aPatternThatMatchesNothingIsAnError() throws {
        try check("        - files: data/**/*.md\n", at: "8:18", "the pattern 'data/**/*.md' matches no file")
    }

    @Test func theTokenKindsNeedTheirInputs() throws {
        try check("""
              tokens:
                kind: tokenize
                with: { text: "${corpus.train}" }

            """, at: "10:11", "step 'tokens' is missing the required field 'tokenizer'")
        try check("""
              tok:
                kind: tokenizer
                with: { text: "${corpus.trian}" }

            """, at: "10:20", "corpus.trian")
    }

    @Test func everyOffSettingAcceptsOff() throws {
        let w = try DataStepWorkspace()
        try w.write("data/a.txt", "some text\n")
        try w.write("p.yaml", Self.header + """
                  filters: { min_chars: off, max_chars: off, min_words: off, max_words: off, max_symbol_ratio: off,
                             max_duplicate_line_ratio: off, max_top_ngram_ratio: off, required_script: off }
                  dedup: { near: off, bands: 4 }

            """)
        let plan = try w.compile()
        let config = try #require(plan.steps.first?.config)
        #expect(config["filters"]?["min_chars"] == .string("off"))
        #expect(config["dedup"]?["near"] == .string("off"))
        #expect(config["dedup"]?["bands"] == .int(4))
        #expect(config["filters"]?["min_script_ratio"] == .float(0.5), "defaults fill what is left out")
    }
}
