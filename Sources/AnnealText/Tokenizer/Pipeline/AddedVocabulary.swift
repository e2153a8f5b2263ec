/// Finds added tokens in text before anything else sees it, as Hugging Face's
/// `AddedVocabulary` does: first the tokens with `normalized: false` in the raw
/// text, then, in each stretch between them once normalized, the tokens with
/// `normalized: true` (matched against their normalized content). At each
/// position the longest token wins and the leftmost match comes first;
/// `single_word` rejects a match touching a word character, and `lstrip`/`rstrip`
/// take the whitespace before/after a match into the token.
struct AddedVocabulary: Sendable {
    /// Token contents to find, longest first, and for each first byte the indices
    /// of the patterns starting with it (so most positions are rejected by one lookup).
    struct Patterns: Sendable {
        let bytes: [[UInt8]]
        let rules: [AddedTokenRule]
        let byFirstByte: [[Int]]

        init(_ list: [(bytes: [UInt8], rule: AddedTokenRule)]) {
            let sorted = list.filter { !$0.bytes.isEmpty }.sorted { $0.bytes.count > $1.bytes.count }
            bytes = sorted.map(\.bytes)
            rules = sorted.map(\.rule)
            var buckets = [[Int]](repeating: [], count: 256)
            for (k, b) in bytes.enumerated() { buckets[Int(b[0])].append(k) }
            byFirstByte = buckets
        }

        var isEmpty: Bool { bytes.isEmpty }
    }

    let rules: [AddedTokenRule]
    private let rawPatterns: Patterns
    private let normalizedPatterns: Patterns

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
        rawPatterns = Patterns(raw)
        normalizedPatterns = Patterns(normalized)
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

    private static func cut(_ piece: TextPiece, _ patterns: Patterns) -> [TokenizerSegment] {
        let text = piece.bytes
        guard !patterns.isEmpty else { return text.isEmpty ? [] : [.text(piece)] }
        var out: [TokenizerSegment] = []
        func emitText(_ r: Range<Int>) {
            if !r.isEmpty { out.append(.text(TextPiece(bytes: Array(text[r]), startsText: piece.startsText && r.lowerBound == 0))) }
        }
        var consumed = 0  // end of the last emitted segment
        var i = 0
        while i < text.count {
            guard let k = longestMatch(at: i, in: text, patterns) else { i += 1; continue }
            let length = patterns.bytes[k].count
            let rule = patterns.rules[k]
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

    /// Index in `patterns` of the longest one found at byte `i`.
    private static func longestMatch(at i: Int, in text: [UInt8], _ patterns: Patterns) -> Int? {
        for k in patterns.byFirstByte[Int(text[i])] {
            let n = patterns.bytes[k].count
            if i + n <= text.count && text[i..<(i + n)].elementsEqual(patterns.bytes[k]) { return k }
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
