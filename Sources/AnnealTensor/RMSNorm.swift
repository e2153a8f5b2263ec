#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Root-mean-square normalisation over the last dimension C (Llama, Qwen2):
/// out = x * rstd * weight with rstd = 1 / sqrt(mean(x^2) + epsilon), per row.
public enum RMSNorm {
    /// inp, out are [rows, C]; rstd [rows] is saved for backward. out may equal inp.
    public static func forward(out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                               inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
                               rows: Int, channels c: Int) {
        ComputeThreads.forEachChunk(rows: rows, minimumRowsPerChunk: 32) { range in
            for r in range {
                let x = inp + r * c, o = out + r * c
                let s = 1 / sqrtf(VectorMath.dot(x, x, count: c) / Float(c) + epsilon)
                for i in 0..<c { o[i] = x[i] * s * weight[i] }
                rstd[r] = s
            }
        }
    }

    /// Rows per block of the weight-gradient partial sums; the blocks depend on
    /// the shape only, so dweight is the same on any thread count.
    static let rowsPerPartial = 32

    /// dinp (+)= dRMSNorm/dinp, dweight += Σ_rows dout * x * rstd (nil: frozen).
    /// With g = weight * dout: dx = rstd * g - x * rstd^3 * mean(g * x).
    public static func backward(dinp: UnsafeMutablePointer<Float>, accumulateInput: Bool,
                                dweight: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                                inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                rstd: UnsafePointer<Float>, rows: Int, channels c: Int) {
        let blocks = max(1, (rows + rowsPerPartial - 1) / rowsPerPartial)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blocks * c + ComputeThreads.count * c) { scratch in
            let partials = scratch.baseAddress!, rowScratch = partials + blocks * c
            partials.initialize(repeating: 0, count: blocks * c)
            // Threads take fixed ranges of blocks; each block sums its rows in order.
            let workers = ComputeThreads.isOnCallerThread ? min(ComputeThreads.count, blocks) : 1
            let work = { (worker: Int) in
                let g = rowScratch + worker * c
                for block in ComputeThreads.chunkRange(worker, of: workers, rows: blocks) {
                    let dw = partials + block * c
                    for r in (block * rowsPerPartial)..<min(rows, (block + 1) * rowsPerPartial) {
                        let x = inp + r * c, dy = dout + r * c, d = dinp + r * c, s = rstd[r]
                        for i in 0..<c {
                            g[i] = weight[i] * dy[i]
                            dw[i] += dy[i] * x[i] * s
                        }
                        let k = VectorMath.dot(g, x, count: c) / Float(c) * s * s * s
                        if accumulateInput {
                            for i in 0..<c { d[i] += s * g[i] - x[i] * k }
                        } else {
                            for i in 0..<c { d[i] = s * g[i] - x[i] * k }
                        }
                    }
                }
            }
            if workers == 1 { work(0) } else { DispatchQueueBridge.perform(workers, work) }
            if let dweight {
                for block in 0..<blocks {
                    let dw = partials + block * c
                    for i in 0..<c { dweight[i] += dw[i] }
                }
            }
        }
    }
}
