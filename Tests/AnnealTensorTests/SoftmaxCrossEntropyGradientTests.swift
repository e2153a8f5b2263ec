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

    func forward(_ logits: [Float]) -> (nll: [Float], lse: [Float]) {
        var nll = [Float](repeating: 0, count: n), lse = nll
        nll.withUnsafeMutableBufferPointer { np in lse.withUnsafeMutableBufferPointer { lp in
            SoftmaxCrossEntropy.forward(nll: np.baseAddress!, lse: lp.baseAddress!, logits: logits,
                                        targets: targets, rows: n, vocabulary: v)
        }}
        return (nll, lse)
    }

    @Test func forwardIsNegativeLogProbability() {
        let logits = GradientCheck.values(n * v, seed: 15, scale: 5)
        let nll = forward(logits).nll
        for r in 0..<n {
            let row = logits[(r * v)..<((r + 1) * v)].map(Double.init)
            let z = row.reduce(0) { $0 + exp($1) }
            let expected = targets[r] < 0 ? 0 : log(z) - row[Int(targets[r])]
            #expect(abs(Double(nll[r]) - expected) < 1e-4)
        }
    }

    @Test func backwardMatchesFiniteDifferences() {
        var logits = GradientCheck.values(n * v, seed: 16, scale: 3)
        var grad = logits
        let lse = forward(logits).lse
        grad.withUnsafeMutableBufferPointer { gp in
            SoftmaxCrossEntropy.backward(logits: gp.baseAddress!, lse: lse, targets: targets, weights: weights,
                                         rows: n, vocabulary: v)
        }
        #expect(GradientCheck.maxError(&logits, analytic: grad) {
            GradientCheck.project(forward($0).nll, weights)
        } < 2e-3)
    }
}
