import Testing
#if canImport(Glibc)
import Glibc
#endif
import AnnealTensor
@testable import AnnealModel

/// Continuation log-probabilities match a direct log-softmax of the logits,
/// do not depend on batching, and TokenBatch masks prompts and padding.
struct LogProbabilityTests {
    @Test func matchesLogSoftmaxAndIgnoresBatching() throws {
        let m = try GPT(config: TinyModel.config, seed: 2)
        TinyModel.randomise(m, seed: 3)
        let sequences: [[Int32]] = [[1, 2, 3, 4, 5], [6, 7], [8, 9, 10, 0, 1, 2, 3]]
        let starts = [2, 1, 4]
        let batched = try m.logProbabilities(of: sequences, continuationStarts: starts, batchSize: 3)
        let single = try m.logProbabilities(of: sequences, continuationStarts: starts, batchSize: 1)
        for (a, b) in zip(batched, single) {
            #expect(a.perToken.count == b.perToken.count)
            #expect(zip(a.perToken, b.perToken).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        for (s, (start, result)) in zip(sequences, zip(starts, batched)) {
            try m.forward(tokens: Array(s.dropLast()), batch: 1, length: s.count - 1)
            var expected: [Float] = []
            for i in start..<s.count {
                let row = Array(m.logits[((i - 1) * 11)..<(i * 11)]).map(Double.init)
                let lse = log(row.map { exp($0) }.reduce(0, +))
                expected.append(Float(row[Int(s[i])] - lse))
            }
            #expect(result.perToken.count == s.count - start)
            #expect(zip(result.perToken, expected).allSatisfy { abs($0 - $1) < 1e-4 })
            #expect(abs(result.total - expected.reduce(0, +)) < 1e-4)
        }
    }

    @Test func tokenBatchMasksPromptAndPadding() throws {
        let batch = try TokenBatch(sequences: [[1, 2, 3, 4], [5, 6]], targetStarts: [2, 1])
        #expect(batch.length == 3)
        #expect(batch.tokens == [1, 2, 3, 5, 0, 0])
        #expect(batch.targets == [-1, 3, 4, 6, -1, -1])
        #expect(batch.targetCount == 3)
        #expect(batch.uniformWeights(normaliser: 4) == [0, 0.25, 0.25, 0.25, 0, 0])
        #expect(throws: ModelError.self) { try TokenBatch(sequences: [[1, 2, 3]], targetStarts: [0]) }
    }
}
