/// What a splitting pre-tokenizer does with the text its pattern matches
/// (Hugging Face's `SplitDelimiterBehavior`).
enum SplitDelimiterBehavior: String, Sendable {
    /// Matches are dropped.
    case removed = "Removed"
    /// Each match is a piece of its own.
    case isolated = "Isolated"
    /// A match ends the piece before it.
    case mergedWithPrevious = "MergedWithPrevious"
    /// A match starts the piece after it.
    case mergedWithNext = "MergedWithNext"
    /// Adjacent matches join into one piece of their own.
    case contiguous = "Contiguous"

    /// Cuts `piece` around the byte ranges `matches` (sorted, disjoint). Empty pieces
    /// are dropped; only the first piece keeps `startsText`.
    func split(_ piece: TextPiece, matches: [Range<Int>]) -> [TextPiece] {
        var ranges: [Range<Int>] = []
        var matched = matches
        if self == .contiguous {
            matched = []
            for m in matches {
                if let last = matched.last, last.upperBound == m.lowerBound {
                    matched[matched.count - 1] = last.lowerBound..<m.upperBound
                } else {
                    matched.append(m)
                }
            }
        }
        var start = 0
        for m in matched {
            switch self {
            case .removed:
                ranges.append(start..<m.lowerBound)
                start = m.upperBound
            case .isolated, .contiguous:
                ranges.append(start..<m.lowerBound)
                ranges.append(m)
                start = m.upperBound
            case .mergedWithPrevious:
                ranges.append(start..<m.upperBound)
                start = m.upperBound
            case .mergedWithNext:
                ranges.append(start..<m.lowerBound)
                start = m.lowerBound
            }
        }
        ranges.append(start..<piece.bytes.count)
        var out: [TextPiece] = []
        for r in ranges where !r.isEmpty {
            out.append(TextPiece(bytes: Array(piece.bytes[r]), startsText: piece.startsText && r.lowerBound == 0))
        }
        return out
    }
}
