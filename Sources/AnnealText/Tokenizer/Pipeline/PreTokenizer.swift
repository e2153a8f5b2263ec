/// A pre-tokenizer of a Hugging Face `tokenizer.json`: cuts normalized text into
/// the pieces the BPE model encodes one by one (merges never cross a piece).
indirect enum PreTokenizer: Sendable {
    /// ByteLevel: optionally a space before each piece that lacks one, then
    /// (with `useRegex`) GPT-2's split. The model then sees the piece's bytes.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Split on a pattern (Llama 3's and Qwen2's regex, Gemma's ' ').
    case split(SplitPattern, SplitDelimiterBehavior)
    /// Numbers apart from the rest: each digit alone (`individual_digits`, SmolLM) or runs of digits.
    case digits(individual: Bool)
    /// Metaspace: spaces become `replacement`, which is also put before a piece
    /// according to `prependScheme`; with `split`, each `replacement` starts a new piece.
    case metaspace(replacement: [UInt8], prependScheme: MetaspacePrependScheme, split: Bool)
    /// Each in turn, on every piece the previous one produced.
    case sequence([PreTokenizer])

    func split(_ pieces: [TextPiece]) -> [TextPiece] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(pieces) { $1.split($0) }
        default:
            return pieces.flatMap(splitOne)
        }
    }

    private func splitOne(_ piece: TextPiece) -> [TextPiece] {
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            var p = piece
            if addPrefixSpace && p.bytes.first != 0x20 { p.bytes.insert(0x20, at: 0) }
            guard useRegex else { return [p] }
            var ranges: [Range<Int>] = []
            p.bytes.withUnsafeBufferPointer { b in GPT2PreTokenizer.split(b) { s, e in ranges.append(s..<e) } }
            return SplitDelimiterBehavior.isolated.split(p, matches: ranges)
        case .split(let pattern, let behavior):
            return behavior.split(piece, matches: pattern.matches(in: piece.bytes))
        case .digits(let individual):
            let numeric = UTF8Bytes.scalars(piece.bytes).filter { Self.isNumeric($0.scalar) }.map(\.range)
            return (individual ? SplitDelimiterBehavior.isolated : .contiguous).split(piece, matches: numeric)
        case .metaspace(let replacement, let scheme, let split):
            var p = piece
            p.bytes = UTF8Bytes.replace([0x20], with: replacement, in: p.bytes)
            let lacks = !p.bytes.starts(with: replacement)
            if lacks && (scheme == .always || (scheme == .first && p.startsText)) { p.bytes = replacement + p.bytes }
            guard split else { return [p] }
            return SplitDelimiterBehavior.mergedWithNext.split(p, matches: UTF8Bytes.occurrences(of: replacement, in: p.bytes))
        case .sequence:
            return split([piece])
        }
    }

    /// Rust's `char::is_numeric`, which the Digits pre-tokenizer uses: categories Nd, Nl, No.
    static func isNumeric(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
