import Testing
@testable import AnnealText

/// Cleaning normalises Unicode, newlines, control characters, HTML and whitespace.
struct TextCleanerTests {
    @Test func defaultsNormaliseNewlinesControlAndWhitespace() {
        let c = TextCleaner()
        #expect(c.clean("  a\r\nb\rc\u{2028}d  ") == "a\nb\nc\nd")
        #expect(c.clean("x\u{0}\u{7}y\u{FEFF}z\u{85}w") == "xyz\nw")
        #expect(c.clean("one \t  two   \n\n\n\n three  \n") == "one two\n\nthree")
        #expect(c.clean("tab\there") == "tab here")
    }

    @Test func nfcByDefaultNfkcOnRequest() {
        #expect(TextCleaner().clean("e\u{301}") == "\u{E9}")
        #expect(TextCleaner().clean("ﬁ") == "ﬁ")
        #expect(TextCleaner(config: CleaningConfig(normalization: .nfkc)).clean("ﬁ ２") == "fi 2")
        #expect(TextCleaner(config: CleaningConfig(normalization: .none)).clean("e\u{301}") == "e\u{301}")
    }

    @Test func htmlIsStrippedOnlyWhenAsked() {
        let html = "<html><head><style>p{x}</style><script>var a = '<p>';</script></head><body><p>Hello &amp; <b>bye</b></p><!-- c --><p>2 &lt; 3 &#233;&#x41;</p></body></html>"
        #expect(TextCleaner(config: CleaningConfig(stripHTML: true)).clean(html) == "Hello & bye\n\n2 < 3 éA")
        #expect(TextCleaner().clean("<b>x</b>") == "<b>x</b>")
        #expect(TextCleaner(config: CleaningConfig(stripHTML: true)).clean("a < b and c > d") == "a < b and c > d")
    }

    @Test func everythingOffLeavesTextAlone() {
        let off = CleaningConfig(normalization: .none, normalizeNewlines: false, removeControl: false,
                                 stripHTML: false, collapseWhitespace: false)
        let text = " a\r\n\u{7}  b "
        #expect(TextCleaner(config: off).clean(text) == text)
    }
}
