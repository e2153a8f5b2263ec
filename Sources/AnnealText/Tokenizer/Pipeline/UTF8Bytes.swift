/// Byte-level helpers on valid UTF-8 shared by the normalizers, pre-tokenizers and decoders.
enum UTF8Bytes {
    /// `text` with every occurrence of `pattern` replaced by `content`, scanning left to right
    /// without overlaps (matching bytes of valid UTF-8 is matching characters).
    static func replace(_ pattern: [UInt8], with content: [UInt8], in text: [UInt8]) -> [UInt8] {
        guard !pattern.isEmpty, text.count >= pattern.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if text[i] == pattern[0], i + pattern.count <= text.count, text[i..<(i + pattern.count)].elementsEqual(pattern) {
                out.append(contentsOf: content)
                i += pattern.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// Byte ranges of the non-overlapping occurrences of `pattern`, left to right.
    static func occurrences(of pattern: [UInt8], in text: [UInt8]) -> [Range<Int>] {
        guard !pattern.isEmpty, text.count >= pattern.count else { return [] }
        var found: [Range<Int>] = []
        var i = 0
        while i + pattern.count <= text.count {
            if text[i..<(i + pattern.count)].elementsEqual(pattern) {
                found.append(i..<(i + pattern.count))
                i += pattern.count
            } else {
                i += 1
            }
        }
        return found
    }

    /// Byte ranges of the Unicode scalars of `text`, with the scalars.
    static func scalars(_ text: [UInt8]) -> [(range: Range<Int>, scalar: Unicode.Scalar)] {
        var out: [(Range<Int>, Unicode.Scalar)] = []
        var offset = 0
        for s in String(decoding: text, as: UTF8.self).unicodeScalars {
            let n = UTF8.width(s)
            out.append((offset..<(offset + n), s))
            offset += n
        }
        return out
    }
}
