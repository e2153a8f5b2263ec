extension GPT {
    /// Log-probabilities of continuations: for each sequence, the tokens from
    /// `continuationStarts[i]` on are scored given everything before them.
    /// Runs in batches of `batchSize` padded to one common length (one
    /// activation allocation); dropout is off. DPO, PPO and evaluation use it.
    public func logProbabilities(of sequences: [[Int32]], continuationStarts: [Int],
                                 batchSize: Int = 8) throws -> [SequenceLogProbability] {
        guard sequences.count == continuationStarts.count else {
            throw ModelError.invalidInput("\(sequences.count) sequences but \(continuationStarts.count) continuation starts")
        }
        guard !sequences.isEmpty else { return [] }
        for (i, (s, start)) in zip(sequences, continuationStarts).enumerated() where start < 1 || start > s.count {
            throw ModelError.invalidInput("continuation start \(start) of sequence \(i) must be in 1...\(s.count)")
        }
        let length = max(1, sequences.map(\.count).max()! - 1)
        let wasTraining = isTraining
        isTraining = false
        defer { isTraining = wasTraining }
        var results: [SequenceLogProbability] = []
        for first in stride(from: 0, to: sequences.count, by: max(1, batchSize)) {
            let slice = first..<min(sequences.count, first + max(1, batchSize))
            let packed = try TokenBatch(sequences: Array(sequences[slice]), targetStarts: Array(continuationStarts[slice]),
                                        length: length)
            try forward(tokens: packed.tokens, targets: packed.targets, batch: packed.batch, length: length)
            let nll = tokenLosses
            for (row, i) in slice.enumerated() {
                let s = sequences[i]
                let perToken = (continuationStarts[i]..<s.count).map { -nll[row * length + $0 - 1] }
                results.append(SequenceLogProbability(total: perToken.reduce(0, +), perToken: perToken))
            }
        }
        return results
    }
}
