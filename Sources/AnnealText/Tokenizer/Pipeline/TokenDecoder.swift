/// A decoder of a Hugging Face `tokenizer.json`: turns the token strings of ids
/// back into text. Each step maps the list of token strings to a new list; the
/// result is their concatenation.
indirect enum TokenDecoder: Sendable {
    /// Token strings spelled in the ByteLevel alphabet become their bytes (a token
    /// with a character outside the alphabet, an added token, gives its own UTF-8),
    /// all read as one lossy UTF-8 string.
    case byteLevel
    /// Replaces a literal string in each token (`▁` -> ' ').
    case replace(pattern: [UInt8], content: [UInt8])
    /// Runs of `<0xHH>` tokens become the text of their bytes, or one U+FFFD per
    /// byte when the run is not valid UTF-8.
    case byteFallback
    /// Joins all tokens into one.
    case fuse
    /// Removes up to `start` leading and `stop` trailing `content` characters from each token.
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    /// `replacement` becomes ' ' except in the first token, where it is dropped
    /// (unless the prepend scheme is `never`).
    case metaspace(replacement: Unicode.Scalar, prependScheme: MetaspacePrependScheme)
    /// Each in turn.
    case sequence([TokenDecoder])

    func decode(_ tokens: [String]) -> [String] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for t in tokens { bytes += ByteLevelAlphabet.decode(t) ?? Array(t.utf8) }
            return [String(decoding: bytes, as: UTF8.self)]
        case .replace(let pattern, let content):
            return tokens.map { String(decoding: UTF8Bytes.replace(pattern, with: content, in: Array($0.utf8)), as: UTF8.self) }
        case .byteFallback:
            var out: [String] = []
            var pending: [UInt8] = []
            func flush() {
                guard !pending.isEmpty else { return }
                if let s = String(validating: pending, as: UTF8.self) {
                    out.append(s)
                } else {
                    out += Array(repeating: "\u{FFFD}", count: pending.count)
                }
                pending = []
            }
            for t in tokens {
                if let b = Self.fallbackByte(t) { pending.append(b) } else { flush(); out.append(t) }
            }
            flush()
            return out
        case .fuse:
            return [tokens.joined()]
        case .strip(let content, let start, let stop):
            return tokens.map { t in
                var chars = Array(t.unicodeScalars)
                var s = 0
                while s < start, s < chars.count, chars[s] == content { s += 1 }
                chars.removeFirst(s)
                var e = 0
                while e < stop, e < chars.count, chars[chars.count - 1 - e] == content { e += 1 }
                chars.removeLast(e)
                var result = ""
                result.unicodeScalars.append(contentsOf: chars)
                return result
            }
        case .metaspace(let replacement, let scheme):
            return tokens.enumerated().map { i, t in
                var s = ""
                for c in t.unicodeScalars {
                    if c == replacement {
                        if !(i == 0 && scheme != .never) { s.unicodeScalars.append(" ") }
                    } else {
                        s.unicodeScalars.append(c)
                    }
                }
                return s
            }
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.decode($0) }
        }
    }

    /// The byte of a token spelled exactly `<0xHH>`.
    static func fallbackByte(_ token: String) -> UInt8? {
        let u = Array(token.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }
}
