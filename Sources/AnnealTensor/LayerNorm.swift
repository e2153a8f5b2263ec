#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Layer normalisation over the last dimension C (epsilon 1e-5, as GPT-2):
/// out = (x - mean) * rstd * weight + bias, per row.
public enum LayerNorm {
    public static let epsilon: Float = 1e-5

    /// inp, out are [rows, C]; mean and rstd [rows] are saved for backward.
    public static func forward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                               rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               rows: Int, channels c: Int) {
        ComputeThreads.forEachChunk(rows: rows, minimumRowsPerChunk: 32) { range in
            for r in range {
                let x = inp + r * c
                let m = VectorMath.sum(x, count: c) / Float(c)
                let o = out + r * c
                for i in 0..<c { o[i] = x[i] - m }  // centred, reused for the variance
                let s = 1 / sqrtf(VectorMath.dot(o, o, count: c) / Float(c) + epsilon)
                for i in 0..<c { o[i] = o[i] * s * weight[i] + bias[i] }
                mean[r] = m
                rstd[r] = s
            }
        }
    }

    /// Rows per part of the weight and bias sums in `backward`: the parts are
    /// fixed by the row count, never by the thread count.
    static let rowsPerPart = 32
    /// At most this many parts (and partial sums per channel).
    static let maximumParts = 12

    /// dinp (+)= dLN/dinp, dweight += Σ dout * xhat, dbias += Σ dout.
    /// The weight and bias sums take one partial per part of rows (parts fixed
    /// by `rows`), added in part order, so the bytes do not depend on the
    /// thread count. dweight/dbias may be nil (frozen).
    public static func backward(dinp: UnsafeMutablePointer<Float>, accumulateInput: Bool,
                                dweight: UnsafeMutablePointer<Float>?, dbias: UnsafeMutablePointer<Float>?,
                                dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                rstd: UnsafePointer<Float>, rows: Int, channels c: Int) {
        let parts = min(maximumParts, max(1, rows / rowsPerPart))
        withUnsafeTemporaryAllocation(of: Float.self, capacity: parts * 4 * c) { partial in
            let partials = partial.baseAddress!
            partials.initialize(repeating: 0, count: parts * 4 * c)
            ComputeThreads.forEachPart(parts) { part, _ in
                let dw = partials + part * 4 * c, db = dw + c, xhat = db + c, dnorm = xhat + c
                for r in ComputeThreads.chunkRange(part, of: parts, rows: rows) {
                    let x = inp + r * c, g = dout + r * c, d = dinp + r * c
                    let m = mean[r], s = rstd[r]
                    // xhat and dnorm = weight * dout, in the part's two scratch rows.
                    for i in 0..<c {
                        let xh = (x[i] - m) * s
                        xhat[i] = xh
                        dnorm[i] = weight[i] * g[i]
                        dw[i] += g[i] * xh
                        db[i] += g[i]
                    }
                    let meanDnorm = VectorMath.sum(dnorm, count: c) / Float(c)
                    let meanDnormXhat = VectorMath.dot(dnorm, xhat, count: c) / Float(c)
                    if accumulateInput {
                        for i in 0..<c { d[i] += (dnorm[i] - meanDnorm - xhat[i] * meanDnormXhat) * s }
                    } else {
                        for i in 0..<c { d[i] = (dnorm[i] - meanDnorm - xhat[i] * meanDnormXhat) * s }
                    }
                }
            }
            for part in 0..<parts {
                let dw = partials + part * 4 * c, db = dw + c
                if let dweight { for i in 0..<c { dweight[i] += dw[i] } }
                if let dbias { for i in 0..<c { dbias[i] += db[i] } }
            }
        }
    }
}
