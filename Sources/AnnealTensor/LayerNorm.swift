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

    /// dinp (+)= dLN/dinp, dweight += Σ dout * xhat, dbias += Σ dout.
    /// Weight and bias sums use one partial per fixed chunk, added in order,
    /// so the result depends only on the thread count. dweight/dbias may be
    /// nil (frozen).
    public static func backward(dinp: UnsafeMutablePointer<Float>, accumulateInput: Bool,
                                dweight: UnsafeMutablePointer<Float>?, dbias: UnsafeMutablePointer<Float>?,
                                dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                rstd: UnsafePointer<Float>, rows: Int, channels c: Int) {
        let chunks = min(ComputeThreads.count, max(1, rows / 32))
        withUnsafeTemporaryAllocation(of: Float.self, capacity: chunks * 4 * c) { partial in
            let partials = partial.baseAddress!
            partials.initialize(repeating: 0, count: chunks * 4 * c)
            let work = { (chunk: Int) in
                let dw = partials + chunk * 4 * c, db = dw + c, xhat = db + c, dnorm = xhat + c
                for r in ComputeThreads.chunkRange(chunk, of: chunks, rows: rows) {
                    let x = inp + r * c, g = dout + r * c, d = dinp + r * c
                    let m = mean[r], s = rstd[r]
                    // xhat and dnorm = weight * dout, in the chunk's two scratch rows.
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
            if chunks == 1 { work(0) } else { DispatchQueueBridge.perform(chunks, work) }
            for chunk in 0..<chunks {
                let dw = partials + chunk * 4 * c, db = dw + c
                if let dweight { for i in 0..<c { dweight[i] += dw[i] } }
                if let dbias { for i in 0..<c { dbias[i] += db[i] } }
            }
        }
    }
}
