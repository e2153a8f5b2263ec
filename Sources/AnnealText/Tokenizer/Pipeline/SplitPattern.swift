import Foundation

/// The pattern of a `Split` pre-tokenizer: a literal string or a regular
/// expression written for Oniguruma (the engine Hugging Face `tokenizers` uses),
/// run here by ICU through `NSRegularExpression`.
///
/// The two engines agree on the constructs the published pre-tokenizers use
/// (alternation tried left to right, `(?i:...)`, `\p{L}`, `\p{N}`, `{1,3}`,
/// `(?!...)`, classes). `\s`/`\S` are written as `\p{White_Space}`/`\P{White_Space}`,
/// Oniguruma's meaning (it includes U+000B and U+0085), whatever ICU's `\s` is.
/// Escapes whose meaning differs or is unchecked (`\h`, `\w`, `\R`, `\X`, ...) are refused.
struct SplitPattern: @unchecked Sendable {
    let literal: [UInt8]?
    let regex: NSRegularExpression?
    /// Set for Llama 3's and Qwen2's exact patterns, which `Llama3SplitPattern` matches by hand.
    let handWrittenMaxDigits: Int?

    init(literal: String) {
        self.literal = Array(literal.utf8)
        self.regex = nil
        self.handWrittenMaxDigits = nil
    }

    /// Compiles an Oniguruma pattern; throws a message naming what is not supported.
    init(oniguruma pattern: String, handWritten: Bool = true) throws {
        handWrittenMaxDigits = handWritten ? Llama3SplitPattern.maxDigits(ofPattern: pattern) : nil
        let allowedEscapes: Set<Character> = ["s", "S", "p", "P", "r", "n", "t", "f", "v", "d", "D"]
        var translated = ""
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            guard c == "\\" else { translated.append(c); continue }
            guard let e = chars.next() else { throw TextError("the pattern ends with a lone backslash") }
            if e.isLetter || e.isNumber {
                guard allowedEscapes.contains(e) else {
                    throw TextError("the pattern uses the escape '\\\(e)', whose meaning Anneal does not reproduce; supported escapes: \\s \\S \\p{..} \\P{..} \\d \\D \\r \\n \\t \\f \\v and escaped punctuation")
                }
            }
            switch e {
            case "s": translated += "\\p{White_Space}"
            case "S": translated += "\\P{White_Space}"
            default: translated += "\\" + String(e)
            }
        }
        do {
            regex = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw TextError("the pattern does not compile as a regular expression (\(error.localizedDescription))")
        }
        literal = nil
    }

    /// Byte ranges of the non-overlapping matches in `text`, left to right; empty matches are skipped.
    func matches(in text: [UInt8]) -> [Range<Int>] {
        if let literal { return UTF8Bytes.occurrences(of: literal, in: text) }
        if let maxDigits = handWrittenMaxDigits { return Llama3SplitPattern.matches(in: text, maxDigits: maxDigits) }
        guard let regex else { return [] }
        let string = String(decoding: text, as: UTF8.self)
        // UTF-16 offset -> UTF-8 offset at every scalar boundary.
        var utf8At = [Int](repeating: 0, count: string.utf16.count + 1)
        var u16 = 0, u8 = 0
        for s in string.unicodeScalars {
            utf8At[u16] = u8
            u16 += UTF16.width(s)
            u8 += UTF8.width(s)
        }
        utf8At[u16] = u8
        let ns = string as NSString
        return regex.matches(in: string, options: [], range: NSRange(location: 0, length: ns.length)).compactMap { m in
            m.range.length == 0 ? nil : utf8At[m.range.location]..<utf8At[m.range.location + m.range.length]
        }
    }
}
