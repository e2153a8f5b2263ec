import AnnealModel

/// The scalar head of a reward or value model read at the last token of each
/// sequence: the reward model's score of a prompt and answer.
enum ScalarHeadScores {
    /// One score per sequence, in batches of `batchSize` padded to the batch's longest.
    static func lastToken(_ model: GPT, sequences: [[Int32]], batchSize: Int) throws -> [Float] {
        var scores: [Float] = []
        for first in stride(from: 0, to: sequences.count, by: max(1, batchSize)) {
            let slice = Array(sequences[first..<min(sequences.count, first + max(1, batchSize))])
            let length = slice.map(\.count).max()!
            var tokens: [Int32] = []
            for s in slice { tokens += s + [Int32](repeating: 0, count: length - s.count) }
            try model.forwardScalar(tokens: tokens, batch: slice.count, length: length)
            scores += model.scalars(at: slice.map { $0.count - 1 })
        }
        return scores
    }
}
