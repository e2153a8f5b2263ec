import Testing
import AnnealTensor
@testable import AnnealModel

/// Packed rows: several sequences share a row but not their attention, and each
/// restarts its positions at 0, so a packed sequence computes exactly what it
/// computes alone. Forward (logits, losses), backward (summed gradients) and
/// finite differences of the packed loss and of the per-sequence losses.
struct PackedAttentionTests {
    /// Row 0 packs three sequences (3 + 3 + 2 positions, full); row 1 packs two
    /// (5 + 2) and one position of padding.
    static let rows: [[[Int32]]] = [
        [[1, 4, 2, 7], [3, 3, 9, 0], [5, 10, 6]],
        [[8, 2, 2, 4, 1, 6], [9, 7, 3]],
    ]
    /// The second sequence of row 0 is scored from its third token only, like a completion.
    static let targetStarts = [[1, 2, 1], [1, 1]]

    static func packed() throws -> TokenBatch {
        try TokenBatch(packing: rows, targetStarts: targetStarts, length: TinyModel.config.context)
    }

    /// Every sequence with its target start, in row order.
    static var sequences: [(tokens: [Int32], targetStart: Int)] {
        zip(rows, targetStarts).flatMap { row, starts in zip(row, starts).map { ($0, $1) } }
    }

    /// Where each sequence's first position lands in the packed batch.
    static var offsets: [Int] {
        var out: [Int] = []
        for (r, row) in rows.enumerated() {
            var at = r * TinyModel.config.context
            for sequence in row {
                out.append(at)
                at += sequence.count - 1
            }
        }
        return out
    }

    static func model(seed: UInt64) throws -> GPT {
        let model = try GPT(config: TinyModel.config, seed: 1)
        TinyModel.randomise(model, seed: seed)
        return model
    }

    /// Σ over sequences, each run alone in a row of its own, of Σ weight * loss
    /// with the weight the packed batch puts at that position.
    static func lossAlone(_ model: GPT, weights: [Float]) throws -> Double {
        var total = 0.0
        for ((tokens, start), offset) in zip(sequences, offsets) {
            let alone = try TokenBatch(sequences: [tokens], targetStarts: [start])
            try model.forward(tokens: alone.tokens, targets: alone.targets, batch: 1, length: alone.length)
            total += Double(model.loss(weights: Array(weights[offset..<(offset + alone.length)])))
        }
        return total
    }

    @Test func theBatchMarksEachSequenceStartAndThePadding() throws {
        let batch = try Self.packed()
        #expect(batch.positions == [0, 1, 2, 0, 1, 2, 0, 1, 0, 1, 2, 3, 4, 0, 1, 0])
        #expect(batch.targets[3] == -1 && batch.targets[4] == 9 && batch.targets[15] == -1)
        #expect(batch.targetCount == 3 + 2 + 2 + 5 + 2)
    }

    @Test func eachPackedSequenceHasTheLogitsAndLossesItHasAlone() throws {
        let model = try Self.model(seed: 21)
        let batch = try Self.packed()
        let v = TinyModel.config.vocabulary
        try model.forward(tokens: batch.tokens, positions: batch.positions, batch: batch.batch, length: batch.length)
        let packedLogits = Array(model.logits)
        try model.forward(tokens: batch.tokens, targets: batch.targets, positions: batch.positions, batch: batch.batch, length: batch.length)
        let packedLosses = Array(model.tokenLosses)
        var worstLogit: Float = 0, worstLoss: Float = 0
        for ((tokens, start), offset) in zip(Self.sequences, Self.offsets) {
            let alone = try TokenBatch(sequences: [tokens], targetStarts: [start])
            try model.forward(tokens: alone.tokens, batch: 1, length: alone.length)
            for (i, logit) in model.logits.enumerated() {
                worstLogit = max(worstLogit, abs(logit - packedLogits[offset * v + i]))
            }
            try model.forward(tokens: alone.tokens, targets: alone.targets, batch: 1, length: alone.length)
            for (i, loss) in model.tokenLosses.enumerated() {
                worstLoss = max(worstLoss, abs(loss - packedLosses[offset + i]))
            }
        }
        #expect(worstLogit < 1e-5, "largest logit difference \(worstLogit)")
        #expect(worstLoss < 1e-5, "largest loss difference \(worstLoss)")
        // The check has teeth: the same row without its positions mixes the sequences.
        try model.forward(tokens: batch.tokens, batch: batch.batch, length: batch.length)
        #expect(zip(model.logits, packedLogits).contains { abs($0 - $1) > 1e-2 })
    }

    @Test(arguments: [1, 2]) func packedGradientsAreTheSumOfPerSequenceGradients(threads: Int) throws {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let model = try Self.model(seed: 22)
        let batch = try Self.packed()
        let weights = batch.uniformWeights(normaliser: batch.targetCount)
        model.parameters.zeroGradients()
        try model.forward(tokens: batch.tokens, targets: batch.targets, positions: batch.positions, batch: batch.batch, length: batch.length)
        let packedLoss = model.loss(weights: weights)
        try model.backward(weights: weights)
        let packed = model.parameters.gradients.values

        model.parameters.zeroGradients()
        var aloneLoss: Float = 0
        for ((tokens, start), offset) in zip(Self.sequences, Self.offsets) {
            let alone = try TokenBatch(sequences: [tokens], targetStarts: [start])
            let w = Array(weights[offset..<(offset + alone.length)])
            try model.forward(tokens: alone.tokens, targets: alone.targets, batch: 1, length: alone.length)
            aloneLoss += model.loss(weights: w)
            try model.backward(weights: w)
        }
        let summed = UnsafeBufferPointer(start: model.parameters.gradients.pointer, count: model.parameters.gradients.count)
        #expect(abs(packedLoss - aloneLoss) < 1e-5, "packed loss \(packedLoss), per-sequence sum \(aloneLoss)")
        for e in model.parameters.entries {
            var worst: Float = 0, largest: Float = 0
            for i in e.offset..<(e.offset + e.count) {
                worst = max(worst, abs(packed[i] - summed[i]))
                largest = max(largest, abs(summed[i]))
            }
            #expect(largest > 0, "\(e.name) has no gradient")
            #expect(worst <= 1e-5 * max(1, largest), "\(e.name): largest difference \(worst) (largest gradient \(largest))")
        }
    }

    /// The packed backward matches finite differences of the packed loss, and
    /// of the per-sequence losses each run alone (which the packed loss equals).
    @Test(arguments: [1, 2]) func packedGradientsMatchFiniteDifferences(threads: Int) throws {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let model = try Self.model(seed: 23)
        let batch = try Self.packed()
        // Uneven weights, zero on one scored position, so every position counts differently.
        var weights = (0..<(batch.batch * batch.length)).map { Float(1 + $0 % 5) / 10 }
        weights[9] = 0
        model.parameters.zeroGradients()
        try model.forward(tokens: batch.tokens, targets: batch.targets, positions: batch.positions, batch: batch.batch, length: batch.length)
        try model.backward(weights: weights)
        let packedErrors = try TinyModel.gradientErrors(model) {
            try model.forward(tokens: batch.tokens, targets: batch.targets, positions: batch.positions,
                              batch: batch.batch, length: batch.length)
            return Double(model.loss(weights: weights))
        }
        let aloneErrors = try TinyModel.gradientErrors(model) { try Self.lossAlone(model, weights: weights) }
        #expect(packedErrors.count == model.parameters.entries.count)
        for (name, err) in packedErrors.sorted(by: { $0.key < $1.key }) {
            #expect(err < 2e-2, "\(name): relative error \(err) against the packed loss")
            #expect(aloneErrors[name]! < 2e-2, "\(name): relative error \(aloneErrors[name]!) against the per-sequence losses")
        }
    }

    /// A row that is one sequence from position 0 computes the same bits with
    /// and without positions: the packed path runs the unpacked kernel on each span.
    @Test func oneSequencePerRowGivesTheUnpackedBits() throws {
        let model = try Self.model(seed: 24)
        let (b, t) = (2, TinyModel.config.context)
        let tokens = TinyModel.tokens(b * t, seed: 25), targets = TinyModel.tokens(b * t, seed: 26)
        let positions = (0..<(b * t)).map { Int32($0 % t) }
        model.parameters.zeroGradients()
        try model.forward(tokens: tokens, targets: targets, batch: b, length: t)
        let losses = Array(model.tokenLosses)
        try model.backward(uniformWeight: 0.1)
        let gradients = model.parameters.gradients.values
        model.parameters.zeroGradients()
        try model.forward(tokens: tokens, targets: targets, positions: positions, batch: b, length: t)
        #expect(Array(model.tokenLosses) == losses)
        try model.backward(uniformWeight: 0.1)
        #expect(model.parameters.gradients.values == gradients)
    }

    @Test func positionsThatDoNotRestartOrCountUpAreRefused() throws {
        let model = try Self.model(seed: 27)
        let tokens = TinyModel.tokens(4, seed: 28)
        for bad: [Int32] in [[1, 2, 3, 4], [0, 1, 3, 4], [0, 1, 2], [0, 1, 1, 2]] {
            #expect(throws: ModelError.self) { try model.forward(tokens: tokens, positions: bad, batch: 1, length: 4) }
        }
        #expect(throws: ModelError.self) { try TokenBatch(packing: [[[1, 2, 3], [4, 5, 6]]], targetStarts: [[1, 1]], length: 3) }
        try model.forward(tokens: tokens, positions: [0, 1, 0, 0], batch: 1, length: 4)
    }
}
