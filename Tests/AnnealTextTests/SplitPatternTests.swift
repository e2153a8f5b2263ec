import Foundation
import Testing
@testable import AnnealText

/// The hand-written matcher of Llama 3's and Qwen2's Split regex cuts text
/// exactly where the regex does.
struct SplitPatternTests {
    static let samples: [String] = [
        "It's, I'M, THEY'LL, we've, you'RE, she'd, he'S 'x 'ſ",
        "1234567890 and 3.14159 ½¾ ٣٤٥٦",
        "tabs\there\tand\nnew\nlines\r\nwindows\r\n\n\nblank  \n  lines   ",
        "a\u{0B}\u{0B}b x \u{0B}\u{85} y z\u{A0}\u{A0}w k \u{2009} \u{3000}l",
        "  (hello) !!!\n\n?? 'quoted' \"double\" end   ",
        "emoji: 😀👍🏽 family 👨‍👩‍👧 日本語のテキスト",
        "",
        " ",
        "\n",
        // U+1094C, U+1094B: letters only since Unicode 17, unassigned for tokenizers and ICU.
        "\u{326}\u{FE}\u{1094C}\u{426} ~\u{1094B}\u{3073}",
    ]

    func compare(_ text: String) throws {
        for pattern in [Llama3SplitPattern.llama3, Llama3SplitPattern.qwen2] {
            let fast = try SplitPattern(oniguruma: pattern)
            let regex = try SplitPattern(oniguruma: pattern, handWritten: false)
            #expect(fast.handWrittenMaxDigits != nil && regex.handWrittenMaxDigits == nil)
            let bytes = Array(text.utf8)
            #expect(fast.matches(in: bytes) == regex.matches(in: bytes), "\(text.debugDescription)")
        }
    }

    @Test func matchesTheRegexOnChosenTexts() throws {
        for s in Self.samples { try compare(s) }
    }

    @Test func matchesTheRegexOnRandomText() throws {
        var rng = SeededGenerator(seed: 20)
        for _ in 0..<300 { try compare(RandomText.make(&rng, length: Int.random(in: 0..<60, using: &rng))) }
    }
}
