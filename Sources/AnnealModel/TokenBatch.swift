/// Variable-length sequences packed into one [batch, length] input with
/// next-token targets: position t predicts sequence[t + 1] when t + 1 is at or
/// after that sequence's target start, and has target -1 (no loss) otherwise
/// and in the padding. A packed batch holds several sequences per row, each
/// with its own positions (see `GPT.forward(tokens:targets:positions:batch:length:)`).
public struct TokenBatch: Sendable, Equatable {
    public var tokens: [Int32]
    public var targets: [Int32]
    /// Each token's position within its sequence when rows are packed; nil when
    /// every row is one sequence (position = index in the row).
    public var positions: [Int32]?
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

    /// Packs the sequences of `rows[r]` one after another into row r, with the
    /// target starts of `targetStarts[r]`: a sequence of n tokens takes n - 1
    /// positions (its last token is only a target), numbered from 0, and the
    /// padding after the last one is a sequence of its own without targets.
    /// `length` defaults to the fullest row.
    public init(packing rows: [[[Int32]]], targetStarts: [[Int]], length: Int? = nil, padding: Int32 = 0) throws {
        guard !rows.isEmpty, rows.count == targetStarts.count,
              zip(rows, targetStarts).allSatisfy({ $0.count == $1.count && !$0.isEmpty }) else {
            throw ModelError.invalidInput("need at least one row, each with one or more sequences and one target start per sequence")
        }
        let fills = rows.map { $0.reduce(0) { $0 + $1.count - 1 } }
        let width = length ?? fills.max()!
        guard width > 0 else { throw ModelError.invalidInput("sequences need at least two tokens to have a target") }
        batch = rows.count
        self.length = width
        tokens = [Int32](repeating: padding, count: batch * width)
        targets = [Int32](repeating: -1, count: batch * width)
        var positions = [Int32](repeating: 0, count: batch * width)
        for (row, sequences) in rows.enumerated() {
            guard fills[row] <= width else {
                throw ModelError.invalidInput("row \(row) packs \(fills[row]) positions, more than length \(width)")
            }
            var at = row * width
            for (s, sequence) in sequences.enumerated() {
                guard sequence.count >= 2, targetStarts[row][s] >= 1 else {
                    throw ModelError.invalidInput("sequence \(s) of row \(row) needs two tokens and a target start of at least 1")
                }
                for t in 0..<(sequence.count - 1) {
                    tokens[at] = sequence[t]
                    if t + 1 >= targetStarts[row][s] { targets[at] = sequence[t + 1] }
                    positions[at] = Int32(t)
                    at += 1
                }
            }
            for (t, i) in (at..<((row + 1) * width)).enumerated() { positions[i] = Int32(t) }
        }
        self.positions = positions
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
