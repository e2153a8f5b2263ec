import Testing
@testable import AnnealText

/// Each quality filter rejects what it should and names itself.
struct QualityFilterTests {
    let none = QualityFilterConfig.none

    func reject(_ text: String, _ change: (inout QualityFilterConfig) -> Void) -> FilterReason? {
        var c = QualityFilterConfig.none
        change(&c)
        return QualityFilter(config: c).rejection(text)
    }

    @Test func lengthFiltersInCharactersAndWords() {
        #expect(reject("abc", { $0.minChars = 4 }) == .minChars)
        #expect(reject("abcd", { $0.minChars = 4 }) == nil)
        #expect(reject("abcde", { $0.maxChars = 4 }) == .maxChars)
        #expect(reject("one two", { $0.minWords = 3 }) == .minWords)
        #expect(reject("one two three four", { $0.maxWords = 3 }) == .maxWords)
        #expect(reject("日本語 text", { $0.minWords = 2 }) == nil)
    }

    @Test func symbolShare() {
        #expect(reject("#### $$$$ ok", { $0.maxSymbolRatio = 0.5 }) == .symbolRatio)
        #expect(reject("plain words, and a comma.", { $0.maxSymbolRatio = 0.5 }) == nil)
    }

    @Test func duplicateLines() {
        #expect(reject("a\nb\na\na", { $0.maxDuplicateLineRatio = 0.3 }) == .duplicateLines)
        #expect(reject("a\nb\nc\n\n\n", { $0.maxDuplicateLineRatio = 0.3 }) == nil)
    }

    @Test func repeatedNgramsGopherStyle() {
        let spam = Array(repeating: "buy now", count: 10).joined(separator: " ") + " please"
        #expect(reject(spam, { $0.maxTopNgramRatio = [2: 0.2] }) == .topNgram)
        #expect(reject("the cat sat on the mat and the dog ran off", { $0.maxTopNgramRatio = [2: 0.2, 3: 0.18] }) == nil)
    }

    @Test func requiredScript() {
        #expect(reject("Привет мир", { $0.requiredScript = .latin }) == .script)
        #expect(reject("Привет мир", { $0.requiredScript = .cyrillic }) == nil)
        #expect(reject("Hello Привет world", { $0.requiredScript = .latin }) == nil)
        #expect(reject("12345", { $0.requiredScript = .latin }) == .script)
    }

    @Test func defaultsKeepOrdinaryProse() {
        #expect(QualityFilter().rejection("It was a bright cold day in April, and the clocks were striking thirteen.") == nil)
        #expect(QualityFilter().rejection("") == .minChars)
    }
}
