/// The writing systems the `required_script` filter knows, by Unicode block
/// ranges of their letters (enough to tell which script a text is written in;
/// not a full Script property table).
public enum UnicodeScript: String, Sendable, CaseIterable {
    case latin, cyrillic, greek, arabic, hebrew, devanagari, han, kana, hangul, thai

    /// Code point ranges of the script's letters.
    var ranges: [ClosedRange<UInt32>] {
        switch self {
        case .latin: return [0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0x24F,
                             0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF3A, 0xFF41...0xFF5A]
        case .cyrillic: return [0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F]
        case .greek: return [0x370...0x3FF, 0x1F00...0x1FFF]
        case .arabic: return [0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF]
        case .hebrew: return [0x590...0x5FF, 0xFB1D...0xFB4F]
        case .devanagari: return [0x900...0x97F, 0xA8E0...0xA8FF]
        case .han: return [0x2E80...0x2FDF, 0x3005...0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                           0xF900...0xFAFF, 0x20000...0x3134F]
        case .kana: return [0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F]
        case .hangul: return [0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF]
        case .thai: return [0xE00...0xE7F]
        }
    }

    /// Whether `scalar` belongs to the script.
    public func contains(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return ranges.contains { $0.contains(v) }
    }
}
