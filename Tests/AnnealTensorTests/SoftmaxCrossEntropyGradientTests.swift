import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import AnnealTensor

/// The fused softmax cross-entropy gives -log p(target), skips masked rows, and
/// its weighted backward matches finite differences of Σ w * nll.
struct SoftmaxCrossEntropyGradientTests {
    let n = 6, v = 37
    let targets: [Int32] = [3, 0, -1, 36, 5, 17]
    let weights: [Float] = [0.5, 1, 1, 0, 0.25, 2]

    /// (nll, lse, probabilities) for the given logits.
    func forward(_ logits: [Float]) -> (nll: [Float], lse: [Float], probabilities: [Float]) {
        var nll = [Float](repeating: 0, count: n), lse = nll
        var probabilities = logits
        nll.withUnsafeMutableBufferPointer { np in lse.withUnsafeMutableBufferPointer { lp in
            probabilities.withUnsafeMutableBufferPointer { pp in
                SoftmaxCrossEntropy.forward(nll: np.baseAddress!, lse: lp.baseAddress!, logits: pp.baseAddress!,
                                            targets: targets, rows: n, vocabulary: v)
            }
        }}
        return (nll, lse, probabilities)
    }

    @Test func forwardIsNegativeLogProbability() {
        let logits = GradientCheck.values(n * v, seed: 15, scale: 5)
        let (nll, lse, probabilities) = forward(logits)
        for r in 0..<n {
            #expect(abs(probabilities[(r * v)..<((r + 1) * v)].reduce(0, +) - 1) < 1e-5)
            #expect(abs(Double(lse[r]) - log(logits[(r * v)..<((r + 1) * v)].reduce(0.0) { $0 + exp(Double($1)) })) < 1e-4)
            let row = logits[(r * v)..<((r + 1) * v)].map(Double.init)
            let z = row.reduce(0) { $0 + exp($1) }
            let expected = targets[r] < 0 ? 0 : log(z) - row[Int(targets[r])]
            #expect(abs(Double(nll[r]) - expected) < 1e-4)
        }
    }

    @Test func backwardMatchesFiniteDifferences() {
        var logits = GradientCheck.values(n * v, seed: 16, scale: 3)
        var grad = forward(logits).probabilities
        grad.withUnsafeMutableBufferPointer { gp in
            SoftmaxCrossEntropy.backward(probabilities: gp.baseAddress!, targets: targets, weights: weights,
                                         rows: n, vocabulary: v)
        }
        #expect(GradientCheck.maxError(&logits, analytic: grad) {
            GradientCheck.project(forward($0).nll, weights)
        } < 2e-3)
    }
}
