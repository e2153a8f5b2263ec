/// GPT-2's pre-tokenisation, written by hand over Unicode scalars of UTF-8 bytes.
///
/// It splits text exactly as the regular expression
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// does (the one Hugging Face's ByteLevel pre-tokenizer and tiktoken's `gpt2`
/// use): contractions, an optional space then letters, numbers or other
/// symbols, and whitespace where a run of whitespace before a non-space gives its
/// last character to the next piece. `\s` is Unicode White_Space, `\p{L}` the
/// general categories L*, `\p{N}` the categories N*. Every byte of the input lies
/// in exactly one piece, so concatenating the pieces gives the input back.
public enum GPT2PreTokenizer {
    /// Character classes of the regex.
    enum CharClass: UInt8 { case letter = 0, number = 1, whitespace = 2, other = 3 }

    /// Class of every scalar of the Basic Multilingual Plane, computed once (64 KiB).
    static let bmpClass: [UInt8] = {
        var table = [UInt8](repeating: CharClass.other.rawValue, count: 65536)
        for v in 0..<65536 {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            table[v] = classify(s).rawValue
        }
        return table
    }()

    static func classify(_ s: Unicode.Scalar) -> CharClass {
        let p = s.properties
        // Characters assigned after Unicode 16 are unassigned for Hugging Face's
        // regex engine (Oniguruma) and ICU 76, though Swift's tables know them.
        guard let age = p.age, age.major <= 16 else { return .other }
        if p.isWhitespace { return .whitespace }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// Splits `text` and returns the pieces (for tests and callers that want strings).
    public static func split(_ text: String) -> [String] {
        var t = text
        var out: [String] = []
        t.withUTF8 { buf in
            split(buf) { s, e in
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buf[s..<e]), as: UTF8.self))
            }
        }
        return out
    }

    /// Calls `piece(start, end)` for each piece of the valid UTF-8 in `text`, in order.
    @inline(__always)
    public static func split(_ text: UnsafeBufferPointer<UInt8>, _ piece: (Int, Int) -> Void) {
        guard let p = text.baseAddress else { return }
        let n = text.count
        bmpClass.withUnsafeBufferPointer { table in
            let classes = table.baseAddress!
            var i = 0
            while i < n {
                let b = p[i]
                // Contractions: 's 't 'm 'd 're 've 'll (lower case only, as in GPT-2).
                if b == 0x27, i + 1 < n {
                    let c1 = p[i + 1]
                    if c1 == 0x73 || c1 == 0x74 || c1 == 0x6D || c1 == 0x64 { piece(i, i + 2); i += 2; continue }
                    if i + 2 < n {
                        let c2 = p[i + 2]
                        if (c1 == 0x72 && c2 == 0x65) || (c1 == 0x76 && c2 == 0x65) || (c1 == 0x6C && c2 == 0x6C) {
                            piece(i, i + 3); i += 3; continue
                        }
                    }
                }
                var (cls, len) = scalarClass(p, i, n, classes)
                var start = i
                var j = i
                if b == 0x20, i + 1 < n {
                    // " ?X+": a single space joins the run of letters, numbers or symbols after it.
                    let (nextCls, nextLen) = scalarClass(p, i + 1, n, classes)
                    if nextCls != .whitespace {
                        cls = nextCls
                        j = i + 1
                        len = nextLen
                        start = i
                    }
                }
                if cls != .whitespace {
                    j += len
                    while j < n {
                        let (c, l) = scalarClass(p, j, n, classes)
                        if c != cls { break }
                        j += l
                    }
                    piece(start, j)
                    i = j
                    continue
                }
                // Whitespace run: "\s+(?!\S)" leaves the run's last scalar to the next
                // piece when a non-space follows; a lone one is taken by "\s+".
                var last = i
                j = i + len
                while j < n {
                    let (c, l) = scalarClass(p, j, n, classes)
                    if c != .whitespace { break }
                    last = j
                    j += l
                }
                if j < n && last > i { j = last }
                piece(i, j)
                i = j
            }
        }
    }

    /// Class and UTF-8 length of the scalar starting at `p[i]`.
    @inline(__always)
    static func scalarClass(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int,
                            _ classes: UnsafePointer<UInt8>) -> (CharClass, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (CharClass(rawValue: classes[Int(b0)])!, 1) }
        var v: UInt32
        var len: Int
        if b0 < 0xE0 {
            len = 2; v = b0 & 0x1F
        } else if b0 < 0xF0 {
            len = 3; v = b0 & 0x0F
        } else {
            len = 4; v = b0 & 0x07
        }
        if i + len > n { return (.other, n - i) }
        for k in 1..<len { v = (v << 6) | (UInt32(p[i + k]) & 0x3F) }
        if v < 65536 { return (CharClass(rawValue: classes[Int(v)])!, len) }
        guard let s = Unicode.Scalar(v) else { return (.other, len) }
        return (classify(s), len)
    }
}
