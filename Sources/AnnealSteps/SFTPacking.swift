/// The rows of `sft` with `packing: true`: examples taken in their training
/// order (`SFTOrder`, epoch after epoch) fill rows of at most `capacity` input
/// positions, next-fit: an example goes into the current row if it fits and
/// starts the next row otherwise. An example of n tokens takes n - 1
/// positions. Row k depends only on the seed and k, so a resumed run packs
/// the rows a run never stopped would have.
final class SFTPacking {
    let capacity: Int
    private let order: SFTOrder
    private let positionsTaken: [Int]
    /// rowStarts[k]: global position of the first example of row k, for the rows laid out so far.
    private var rowStarts = [0]

    /// `inputLengths[i]` is the positions example i takes, each at most `capacity`.
    init(inputLengths: [Int], capacity: Int, seed: UInt64) {
        self.capacity = capacity
        positionsTaken = inputLengths
        order = SFTOrder(count: inputLengths.count, seed: seed)
    }

    /// The indices of the examples of row `k`, in the order they are packed.
    func examples(inRow k: Int) -> [Int] {
        positions(ofRow: k).map(order.example(at:))
    }

    /// The global positions [first, end) of the examples of row `k`.
    func positions(ofRow k: Int) -> Range<Int> {
        while rowStarts.count < k + 2 {
            var end = rowStarts.last!, fill = 0
            repeat {
                fill += positionsTaken[order.example(at: end)]
                end += 1
            } while fill + positionsTaken[order.example(at: end)] <= capacity
            rowStarts.append(end)
        }
        return rowStarts[k]..<rowStarts[k + 1]
    }

    /// How many rows it takes to pack the first `examples` global positions.
    func rows(covering examples: Int) -> Int {
        var k = 0
        while positions(ofRow: k).upperBound < examples { k += 1 }
        return k + 1
    }

    /// Input ids, next-token targets (-1 where not scored) and positions of one
    /// packed row `length` wide: each example restarts its positions at 0, and
    /// the padding after the last is a sequence of its own with no targets.
    static func row(_ examples: [SFTExample], length: Int) -> (tokens: [Int32], targets: [Int32], positions: [Int32]) {
        var tokens: [Int32] = [], targets: [Int32] = [], positions: [Int32] = []
        for example in examples {
            let n = example.tokens.count - 1
            let row = example.row(length: n)
            tokens += row.tokens
            targets += row.targets
            positions += (0..<n).map(Int32.init)
        }
        let padding = length - tokens.count
        tokens += [Int32](repeating: 0, count: padding)
        targets += [Int32](repeating: -1, count: padding)
        positions += (0..<padding).map(Int32.init)
        return (tokens, targets, positions)
    }
}
