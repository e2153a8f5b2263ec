#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax over the vocabulary fused with cross-entropy and per-token weights.
///
/// Forward computes, per row r of logits [N, V], the log-sum-exp lse[r] and
/// nll[r] = lse[r] - logits[r, target[r]] (0 where target < 0, and such rows get no gradient). Backward turns
/// logits into dlogits in place: weight[r] * (softmax(logits[r]) - onehot),
/// which is the gradient of Σ_r weight[r] * nll[r]. Weights let callers mask
/// prompts and normalise by the target count across accumulated micro-batches.
public enum SoftmaxCrossEntropy {
    public static func forward(nll: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>,
                               logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                               rows n: Int, vocabulary v: Int) {
        ComputeThreads.forEachChunk(rows: n, minimumRowsPerChunk: 4) { range in
            for r in range {
                let row = logits + r * v
                let m = VectorMath.maximum(row, count: v)
                let sum = VectorMath.sumExpShifted(row, shift: m, count: v)
                lse[r] = m + logf(sum)
                let target = Int(targets[r])
                nll[r] = target >= 0 ? lse[r] - row[target] : 0
            }
        }
    }

    public static func backward(logits: UnsafeMutablePointer<Float>, lse: UnsafePointer<Float>,
                                targets: UnsafePointer<Int32>, weights: UnsafePointer<Float>,
                                rows n: Int, vocabulary v: Int) {
        ComputeThreads.forEachChunk(rows: n, minimumRowsPerChunk: 4) { range in
            for r in range {
                let row = logits + r * v
                let target = Int(targets[r])
                let w = target >= 0 ? weights[r] : 0
                if w == 0 { row.update(repeating: 0, count: v); continue }
                // e^(x - lse) * w = e^(x - lse + log w) in one pass when w > 0.
                if w > 0 {
                    VectorMath.expShiftedInPlace(row, shift: lse[r] - logf(w), count: v)
                } else {
                    VectorMath.expShiftedInPlace(row, shift: lse[r], count: v)
                    VectorMath.scaleInPlace(row, by: w, count: v)
                }
                row[target] -= w
            }
        }
    }
}
