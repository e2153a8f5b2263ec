/// Exact duplicate removal: the key of a document is a 128-bit hash (two
/// independent `Hash64` seeds) of its text lower-cased (ASCII) with every run of
/// whitespace made one space. A 128-bit key makes an accidental collision
/// negligible (about n^2 / 2^129 for n documents).
public struct ExactDeduplicator {
    /// A document's key.
    public struct Key: Hashable, Sendable { var high: UInt64; var low: UInt64 }

    private var seen = Set<Key>()

    public init() {}

    /// The key of a text; pure, safe from several threads.
    public static func key(_ text: String) -> Key {
        var normalised: [UInt8] = []
        normalised.reserveCapacity(text.utf8.count)
        var space = false
        for c in text.utf8 {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                space = true
                continue
            }
            if space && !normalised.isEmpty { normalised.append(0x20) }
            space = false
            normalised.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c)
        }
        return Key(high: Hash64.hash(normalised, seed: 0x4558_4143_5431), low: Hash64.hash(normalised, seed: 0x4558_4143_5432))
    }

    /// Whether the key was seen before; remembers it if not.
    public mutating func checkAndInsert(_ key: Key) -> Bool { !seen.insert(key).inserted }
}
