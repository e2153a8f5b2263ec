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
                var m: Float = 0
                for i in 0..<c { m += x[i] }
                m /= Float(c)
                var v: Float = 0
                for i in 0..<c { let d = x[i] - m; v += d * d }
                v /= Float(c)
                let s = 1 / sqrtf(v + epsilon)
                let o = out + r * c
                for i in 0..<c { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
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
        withUnsafeTemporaryAllocation(of: Float.self, capacity: chunks * 2 * c) { partial in
            let partials = partial.baseAddress!
            partials.initialize(repeating: 0, count: chunks * 2 * c)
            let work = { (chunk: Int) in
                let dw = partials + chunk * 2 * c, db = dw + c
                for r in ComputeThreads.chunkRange(chunk, of: chunks, rows: rows) {
                    let x = inp + r * c, g = dout + r * c, d = dinp + r * c
                    let m = mean[r], s = rstd[r]
                    var meanDnorm: Float = 0, meanDnormXhat: Float = 0
                    for i in 0..<c {
                        let xhat = (x[i] - m) * s
                        let dnorm = weight[i] * g[i]
                        meanDnorm += dnorm
                        meanDnormXhat += dnorm * xhat
                        dw[i] += g[i] * xhat
                        db[i] += g[i]
                    }
                    meanDnorm /= Float(c)
                    meanDnormXhat /= Float(c)
                    for i in 0..<c {
                        let xhat = (x[i] - m) * s
                        let value = (weight[i] * g[i] - meanDnorm - xhat * meanDnormXhat) * s
                        d[i] = accumulateInput ? d[i] + value : value
                    }
                }
            }
            if chunks == 1 { work(0) } else { DispatchQueueBridge.perform(chunks, work) }
            for chunk in 0..<chunks {
                let dw = partials + chunk * 2 * c, db = dw + c
                if let dweight { for i in 0..<c { dweight[i] += dw[i] } }
                if let dbias { for i in 0..<c { dbias[i] += db[i] } }
            }
        }
    }
}
