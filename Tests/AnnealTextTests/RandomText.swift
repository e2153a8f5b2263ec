/// A deterministic random number generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random strings drawn from a mix of scripts, emoji, combining marks,
/// whitespace, digits and punctuation.
enum RandomText {
    static let pools: [ClosedRange<UInt32>] = [
        0x20...0x7E,        // ASCII
        0x20...0x7E,
        0x09...0x0D,        // tab, newlines, CR
        0xA0...0x17F,       // Latin-1 and Latin Extended-A
        0x300...0x36F,      // combining diacritical marks
        0x391...0x3C9,      // Greek
        0x410...0x44F,      // Cyrillic
        0x5D0...0x5EA,      // Hebrew
        0x627...0x64A,      // Arabic
        0x905...0x939,      // Devanagari
        0x2000...0x206F,    // general punctuation, odd spaces
        0x3040...0x30FF,    // kana
        0x4E00...0x4FFF,    // CJK
        0xAC00...0xAD00,    // Hangul
        0x1F300...0x1F64F,  // emoji
        0x1F3FB...0x1F3FF,  // skin-tone modifiers
        0x10000...0x10FFF,  // other astral scalars
    ]

    static func make(_ rng: inout SeededGenerator, length: Int) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<length {
            let pool = pools[Int.random(in: 0..<pools.count, using: &rng)]
            if let u = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) { s.append(u) }
            if Bool.random(using: &rng), Bool.random(using: &rng) { s.append(" ") }
        }
        return String(s)
    }
}
