/// Finds added tokens in text before anything else sees it, as Hugging Face's
/// `AddedVocabulary` does: first the tokens with `normalized: false` in the raw
/// text, then, in each stretch between them once normalized, the tokens with
/// `normalized: true` (matched against their normalized content). At each
/// position the longest token wins and the leftmost match comes first;
/// `single_word` rejects a match touching a word character, and `lstrip`/`rstrip`
/// take the whitespace before/after a match into the token.
struct AddedVocabulary: Sendable {
    let rules: [AddedTokenRule]
    private let rawPatterns: [(bytes: [UInt8], rule: AddedTokenRule)]
    private let normalizedPatterns: [(bytes: [UInt8], rule: AddedTokenRule)]

    init(rules: [AddedTokenRule], normalizer: TextNormalizer?) {
        self.rules = rules
        var raw: [(bytes: [UInt8], rule: AddedTokenRule)] = []
        var normalized: [(bytes: [UInt8], rule: AddedTokenRule)] = []
        for r in rules {
            let bytes = Array(r.content.utf8)
            if r.normalized {
                normalized.append((normalizer?.normalize(bytes) ?? bytes, r))
            } else {
                raw.append((bytes, r))
            }
        }
        // Longest first, so the first pattern matching at a position is the longest one.
        rawPatterns = raw.filter { !$0.bytes.isEmpty }.sorted { $0.bytes.count > $1.bytes.count }
        normalizedPatterns = normalized.filter { !$0.bytes.isEmpty }.sorted { $0.bytes.count > $1.bytes.count }
    }

    /// The segments of `text`: added tokens, and the normalized text between them.
    func segments(of text: [UInt8], normalizer: TextNormalizer?) -> [TokenizerSegment] {
        var out: [TokenizerSegment] = []
        for first in Self.cut(TextPiece(bytes: text, startsText: true), rawPatterns) {
            guard case .text(let piece) = first else { out.append(first); continue }
            let normalized = TextPiece(bytes: normalizer?.normalize(piece.bytes) ?? piece.bytes, startsText: piece.startsText)
            out += Self.cut(normalized, normalizedPatterns)
        }
        return out
    }

    private static func cut(_ piece: TextPiece, _ patterns: [(bytes: [UInt8], rule: AddedTokenRule)]) -> [TokenizerSegment] {
        let text = piece.bytes
        guard !patterns.isEmpty else { return text.isEmpty ? [] : [.text(piece)] }
        var out: [TokenizerSegment] = []
        func emitText(_ r: Range<Int>) {
            if !r.isEmpty { out.append(.text(TextPiece(bytes: Array(text[r]), startsText: piece.startsText && r.lowerBound == 0))) }
        }
        var consumed = 0  // end of the last emitted segment
        var i = 0
        while i < text.count {
            guard let (length, rule) = longestMatch(at: i, in: text, patterns) else { i += 1; continue }
            var start = i, stop = i + length
            i = stop
            if rule.singleWord {
                let wordBefore = start > 0 && isWordCharacter(lastScalar(text, before: start))
                let wordAfter = stop < text.count && isWordCharacter(firstScalar(text, at: stop))
                if wordBefore || wordAfter { continue }
            }
            if rule.lstrip {
                var s = start
                while s > 0, let c = lastScalar(text, before: s), c.properties.isWhitespace { s -= UTF8.width(c) }
                start = max(s, consumed)
            }
            if rule.rstrip {
                while stop < text.count, let c = firstScalar(text, at: stop), c.properties.isWhitespace { stop += UTF8.width(c) }
            }
            emitText(consumed..<start)
            out.append(.token(rule.id))
            consumed = stop
        }
        emitText(consumed..<text.count)
        return out
    }

    private static func longestMatch(at i: Int, in text: [UInt8], _ patterns: [(bytes: [UInt8], rule: AddedTokenRule)]) -> (Int, AddedTokenRule)? {
        for p in patterns where p.bytes[0] == text[i] && i + p.bytes.count <= text.count {
            if text[i..<(i + p.bytes.count)].elementsEqual(p.bytes) { return (p.bytes.count, p.rule) }
        }
        return nil
    }

    private static func lastScalar(_ text: [UInt8], before end: Int) -> Unicode.Scalar? {
        guard end > 0 else { return nil }
        var s = end - 1
        while s > 0 && text[s] & 0xC0 == 0x80 { s -= 1 }
        return String(decoding: text[s..<end], as: UTF8.self).unicodeScalars.first
    }

    private static func firstScalar(_ text: [UInt8], at start: Int) -> Unicode.Scalar? {
        guard start < text.count else { return nil }
        let lead = text[start]
        let n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return String(decoding: text[start..<min(text.count, start + n)], as: UTF8.self).unicodeScalars.first
    }

    /// A `\w` character of Rust's regex crate (which `single_word` uses): alphabetic,
    /// a mark, a decimal digit, connector punctuation or a join control.
    private static func isWordCharacter(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        let p = c.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
