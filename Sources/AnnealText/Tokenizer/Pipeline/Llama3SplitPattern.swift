/// The `Split` regex of Llama 3 and of Qwen2, written by hand (the regex engine is
/// most of the encoding time otherwise):
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// with `\p{N}{1,3}` (Llama 3) or `\p{N}` (Qwen2). Alternatives are tried in
/// order at each position, as the regex engine does; `\s` is White_Space,
/// `\p{L}` the L* categories, `\p{N}` the N* categories (the classes of
/// `GPT2PreTokenizer`, which treat characters assigned after Unicode 16 as
/// unassigned, as `tokenizers` does). `SplitPatternTests` checks it against the regex.
enum Llama3SplitPattern {
    static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The longest run of numbers one match takes, if `pattern` is one of the two; nil otherwise.
    static func maxDigits(ofPattern pattern: String) -> Int? {
        pattern == llama3 ? 3 : pattern == qwen2 ? 1 : nil
    }

    /// Byte ranges of the matches in `text` (valid UTF-8); together with the gaps
    /// between them (there are none for this pattern) they cover the text.
    static func matches(in text: [UInt8], maxDigits: Int) -> [Range<Int>] {
        // Scalars with their byte offsets and classes; offsets has one extra entry: the end.
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var classes: [GPT2PreTokenizer.CharClass] = []
        var o = 0
        for s in String(decoding: text, as: UTF8.self).unicodeScalars {
            scalars.append(s)
            offsets.append(o)
            classes.append(s.value < 65536 ? GPT2PreTokenizer.CharClass(rawValue: GPT2PreTokenizer.bmpClass[Int(s.value)])!
                                           : GPT2PreTokenizer.classify(s))
            o += UTF8.width(s)
        }
        offsets.append(o)
        let n = scalars.count
        func isCRLF(_ k: Int) -> Bool { scalars[k] == "\r" || scalars[k] == "\n" }
        func lower(_ k: Int) -> Unicode.Scalar? {
            guard k < n else { return nil }
            switch scalars[k] {
            case "A"..."Z": return Unicode.Scalar(scalars[k].value + 32)
            case "\u{017F}": return "s"  // LATIN SMALL LETTER LONG S folds to s
            default: return scalars[k]
            }
        }
        var out: [Range<Int>] = []
        var i = 0
        while i < n {
            let end = matchEnd(at: i)
            out.append(offsets[i]..<offsets[end])
            i = end
        }
        return out

        func matchEnd(at i: Int) -> Int {
            let c = classes[i]
            // 1. Contractions, case-insensitive.
            if scalars[i] == "'" {
                let a = lower(i + 1), b = lower(i + 2)
                if a == "s" || a == "t" || a == "m" || a == "d" { return i + 2 }
                if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") { return i + 3 }
            }
            // 2. An optional character that is not CR, LF, letter or number, then letters.
            var k = i
            if c != .letter && c != .number && !isCRLF(i) { k = i + 1 }
            if k < n && classes[k] == .letter {
                while k < n && classes[k] == .letter { k += 1 }
                return k
            }
            // 3. Numbers, at most maxDigits.
            if c == .number {
                var k = i
                while k < n && k - i < maxDigits && classes[k] == .number { k += 1 }
                return k
            }
            // 4. An optional space, then symbols (not whitespace, letter or number), then CRs and LFs.
            k = scalars[i] == " " ? i + 1 : i
            if k < n && classes[k] == .other {
                while k < n && classes[k] == .other { k += 1 }
                while k < n && isCRLF(k) { k += 1 }
                return k
            }
            // Only whitespace remains possible here.
            var w = i
            while w < n && classes[w] == .whitespace { w += 1 }
            // 5. Whitespace up to and including its last CR or LF.
            var last = w - 1
            while last >= i && !isCRLF(last) { last -= 1 }
            if last >= i { return last + 1 }
            // 6. Whitespace not followed by a non-space: all of it at the end of the text,
            //    else all but its last character (which then joins what follows).
            if w == n { return w }
            if w - i >= 2 { return w - 1 }
            // 7. Whitespace.
            return w
        }
    }
}
