/// Variable-length sequences packed into one [batch, length] input with
/// next-token targets: position t predicts sequence[t + 1] when t + 1 is at or
/// after that sequence's target start, and has target -1 (no loss) otherwise
/// and in the padding.
public struct TokenBatch: Sendable, Equatable {
    public var tokens: [Int32]
    public var targets: [Int32]
    public let batch: Int
    public let length: Int

    /// Packs `sequences`; `targetStarts[i]` is the index of the first token of
    /// sequence i that is scored (1 to score everything after the first token;
    /// the prompt length to score only a completion). `length` defaults to
    /// the longest sequence minus one.
    public init(sequences: [[Int32]], targetStarts: [Int], length: Int? = nil, padding: Int32 = 0) throws {
        guard !sequences.isEmpty, sequences.count == targetStarts.count else {
            throw ModelError.invalidInput("need one target start per sequence and at least one sequence")
        }
        let width = length ?? (sequences.map(\.count).max()! - 1)
        guard width > 0 else { throw ModelError.invalidInput("sequences need at least two tokens to have a target") }
        batch = sequences.count
        self.length = width
        tokens = [Int32](repeating: padding, count: batch * width)
        targets = [Int32](repeating: -1, count: batch * width)
        for (row, sequence) in sequences.enumerated() {
            guard sequence.count - 1 <= width else {
                throw ModelError.invalidInput("sequence \(row) has \(sequence.count) tokens, more than length \(width) + 1")
            }
            guard targetStarts[row] >= 1 else { throw ModelError.invalidInput("target start of sequence \(row) must be at least 1") }
            for t in 0..<(sequence.count - 1) {
                tokens[row * width + t] = sequence[t]
                if t + 1 >= targetStarts[row] { targets[row * width + t] = sequence[t + 1] }
            }
        }
    }

    /// Positions that have a target.
    public var targetCount: Int { targets.filter { $0 >= 0 }.count }

    /// Weights 1/normaliser at every target position (0 elsewhere), for
    /// `GPT.backward(weights:)`; pass the target count of all micro-batches
    /// of a step as the normaliser to average over the whole step.
    public func uniformWeights(normaliser: Int) -> [Float] {
        targets.map { $0 >= 0 ? 1 / Float(max(normaliser, 1)) : 0 }
    }
}
