/// MinHash signatures of documents given as word hashes: shingles of
/// `shingleSize` words, permutations `(a_i * x + b_i) >> 32` (see
/// `MinHashDeduplicator`). A pure function of its seed; safe on any thread.
public struct MinHasher: Sendable {
    /// Signature length.
    public let numPerm: Int
    /// Words per shingle.
    public let shingleSize: Int
    private let a: [UInt64]
    private let b: [UInt64]

    public init(numPerm: Int, shingleSize: Int, seed: UInt64) {
        self.numPerm = numPerm
        self.shingleSize = shingleSize
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return Hash64.mix(state)
        }
        a = (0..<numPerm).map { _ in next() | 1 }
        b = (0..<numPerm).map { _ in next() }
    }

    /// The signature of a document from its word hashes (nil if it has no words).
    /// Pure; safe to call from several threads.
    public func signature(words: [UInt64]) -> [UInt32]? {
        guard !words.isEmpty else { return nil }
        var sig = [UInt32](repeating: .max, count: numPerm)
        let k = numPerm
        let shingles = max(1, words.count - shingleSize + 1)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                sig.withUnsafeMutableBufferPointer { sp in
                    for s in 0..<shingles {
                        var x = UInt64(shingleSize)
                        for w in s..<min(words.count, s + shingleSize) {
                            x = Hash64.mix(x &* 0x9E37_79B9_7F4A_7C15 ^ words[w])
                        }
                        for i in 0..<k {
                            let v = UInt32(truncatingIfNeeded: (ap[i] &* x &+ bp[i]) >> 32)
                            if v < sp[i] { sp[i] = v }
                        }
                    }
                }
            }
        }
        return sig
    }

    /// The signature of a text: its words (runs of letters and digits, lower-cased)
    /// hashed and shingled. nil if it has no words.
    public func signature(text: String) -> [UInt32]? {
        signature(words: WordScanner.scan(text).words.map(\.hash))
    }
}
