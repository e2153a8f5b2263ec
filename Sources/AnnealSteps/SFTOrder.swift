import AnnealTensor

/// The order in which SFT visits its examples: a fresh seeded shuffle each
/// epoch, so the example at any global position depends only on the seed and
/// the position, and a resumed run sees the same data as one never stopped.
final class SFTOrder {
    let count: Int
    let seed: UInt64
    private var epoch = -1
    private var permutation: [Int] = []

    init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
    }

    /// The index of the example at global position `position` (epoch-major).
    func example(at position: Int) -> Int {
        let e = position / count
        if e != epoch {
            var generator = SeededGenerator(seed: seed &+ UInt64(e) &* 0x9E37_79B9_7F4A_7C15)
            permutation = Array(0..<count)
            Self.shuffle(&permutation, using: &generator)
            epoch = e
        }
        return permutation[position % count]
    }

    /// Fisher-Yates with our own draws, so the order never depends on the
    /// standard library's shuffle algorithm.
    static func shuffle<T>(_ items: inout [T], using generator: inout SeededGenerator) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
    }
}
