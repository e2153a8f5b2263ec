#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax over the vocabulary fused with cross-entropy and per-token weights.
///
/// Forward turns each row r of logits [N, V] into softmax probabilities in
/// place and returns lse[r] (log-sum-exp of the logits) and
/// nll[r] = lse[r] - logits[r, target[r]] (0 where target < 0, and such rows
/// get no gradient). Backward turns the probabilities into dlogits in place:
/// weight[r] * (softmax(logits[r]) - onehot), the gradient of Σ_r weight[r] * nll[r].
/// Weights let callers mask prompts and normalise by the target count across
/// accumulated micro-batches. One exp per element in all.
public enum SoftmaxCrossEntropy {
    public static func forward(nll: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>,
                               logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>,
                               rows n: Int, vocabulary v: Int) {
        ComputeThreads.forEachChunk(rows: n, minimumRowsPerChunk: 4) { range in
            for r in range {
                let row = logits + r * v
                let target = Int(targets[r])
                let targetLogit = target >= 0 ? row[target] : 0
                let m = VectorMath.maximum(row, count: v)
                let sum = VectorMath.expShiftedInPlace(row, shift: m, count: v)
                VectorMath.scaleInPlace(row, by: 1 / sum, count: v)
                lse[r] = m + logf(sum)
                nll[r] = target >= 0 ? lse[r] - targetLogit : 0
            }
        }
    }

    /// probabilities (from `forward`) become dlogits in place.
    public static func backward(probabilities: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>,
                                weights: UnsafePointer<Float>, rows n: Int, vocabulary v: Int) {
        ComputeThreads.forEachChunk(rows: n, minimumRowsPerChunk: 4) { range in
            for r in range {
                let row = probabilities + r * v
                let target = Int(targets[r])
                let w = target >= 0 ? weights[r] : 0
                if w == 0 { row.update(repeating: 0, count: v); continue }
                VectorMath.scaleInPlace(row, by: w, count: v)
                row[target] -= w
            }
        }
    }
}
