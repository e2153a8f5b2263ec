import Testing
@testable import AnnealText

/// The hand-written pre-tokeniser splits as GPT-2's regex does.
struct GPT2PreTokenizerTests {
    @Test func splitsContractionsWordsNumbersAndSymbols() {
        #expect(GPT2PreTokenizer.split("Hello world! It's 42.") ==
                ["Hello", " world", "!", " It", "'s", " 42", "."])
        #expect(GPT2PreTokenizer.split("they'll've 'RE") == ["they", "'ll", "'ve", " '", "RE"])
    }

    @Test func whitespaceRunGivesItsLastSpaceToTheNextWord() {
        #expect(GPT2PreTokenizer.split("a   b") == ["a", "  ", " b"])
        #expect(GPT2PreTokenizer.split("a\n\nb") == ["a", "\n", "\n", "b"])
        #expect(GPT2PreTokenizer.split("a \n b  ") == ["a", " \n", " b", "  "])
        #expect(GPT2PreTokenizer.split("x\t") == ["x", "\t"])
    }

    @Test func unicodeClassesFollowGeneralCategories() {
        #expect(GPT2PreTokenizer.split("café 日本語½ 🙂!") == ["café", " 日本語", "½", " 🙂!"])
        #expect(GPT2PreTokenizer.split("e\u{301}x") == ["e", "\u{301}", "x"])
    }

    @Test func piecesConcatenateToTheInput() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let s = RandomText.make(&rng, length: Int.random(in: 0..<60, using: &rng))
            #expect(GPT2PreTokenizer.split(s).joined() == s)
        }
    }
}
