/// Applies `QualityFilterConfig` to a cleaned document and says which filter,
/// if any, rejects it (the first in the order of `FilterReason`).
public struct QualityFilter: Sendable {
    /// The settings applied.
    public let config: QualityFilterConfig

    public init(config: QualityFilterConfig = QualityFilterConfig()) { self.config = config }

    /// nil if the document passes every filter, else the first filter that fails.
    public func rejection(_ text: String) -> FilterReason? { evaluate(text).rejection }

    /// The verdict together with the document's words and character count, so
    /// the collector does not scan the text again for MinHash.
    func evaluate(_ text: String) -> (rejection: FilterReason?, words: [WordScanner.Word], characters: Int) {
        var inScript = 0
        let script = config.requiredScript
        let (words, counts) = WordScanner.scan(text) { s in
            if let script, script.contains(s) { inScript += 1 }
        }
        let verdict = verdict(text, words, counts, inScript)
        return (verdict, words, counts.characters)
    }

    private func verdict(_ text: String, _ words: [WordScanner.Word], _ counts: WordScanner.Counts,
                         _ inScript: Int) -> FilterReason? {
        let c = config
        let script = c.requiredScript
        if let m = c.minChars, counts.characters < m { return .minChars }
        if let m = c.maxChars, counts.characters > m { return .maxChars }
        if let m = c.minWords, words.count < m { return .minWords }
        if let m = c.maxWords, words.count > m { return .maxWords }
        if let m = c.maxSymbolRatio {
            let visible = counts.characters - counts.whitespace
            if visible > 0 && Double(counts.symbols) / Double(visible) > m { return .symbolRatio }
        }
        if let m = c.maxDuplicateLineRatio, duplicateLineRatio(text) > m { return .duplicateLines }
        if let ratios = c.maxTopNgramRatio {
            for n in ratios.keys.sorted() where topNgramRatio(words, n: n) > ratios[n]! { return .topNgram }
        }
        if script != nil {
            if counts.letters == 0 || Double(inScript) / Double(counts.letters) < c.minScriptRatio { return .script }
        }
        return nil
    }

    /// Share of non-blank lines equal to an earlier line of the document.
    func duplicateLineRatio(_ text: String) -> Double {
        var seen = Set<UInt64>()
        var lines = 0
        var duplicates = 0
        for line in text.utf8.split(separator: 0x0A) {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            lines += 1
            let h = Array(line).withUnsafeBytes { Hash64.hash($0) }
            if !seen.insert(h).inserted { duplicates += 1 }
        }
        return lines == 0 ? 0 : Double(duplicates) / Double(lines)
    }

    /// Gopher's repetition measure: characters (of words) covered by the most
    /// frequent word n-gram that occurs more than once, over all words' characters.
    func topNgramRatio(_ words: [WordScanner.Word], n: Int) -> Double {
        guard n >= 1, words.count >= n else { return 0 }
        let total = words.reduce(0) { $0 + $1.length }
        guard total > 0 else { return 0 }
        var counts: [UInt64: (count: Int, length: Int)] = [:]
        counts.reserveCapacity(words.count)
        var best = (count: 1, length: 0)
        for i in 0...(words.count - n) {
            var h: UInt64 = UInt64(n)
            var length = 0
            for k in i..<(i + n) {
                h = Hash64.mix(h &* 0x9E37_79B9_7F4A_7C15 ^ words[k].hash)
                length += words[k].length
            }
            var e = counts[h] ?? (0, length)
            e.count += 1
            counts[h] = e
            if e.count > best.count || (e.count == best.count && e.count > 1 && e.length > best.length) { best = e }
        }
        return best.count > 1 ? Double(best.count * best.length) / Double(total) : 0
    }
}
