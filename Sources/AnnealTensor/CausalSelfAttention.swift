#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multi-head causal self-attention over a fused QKV activation.
///
/// Shapes: qkv is [B, T, 3C] laid out as (q | k | v) per position, each split
/// into H heads of size hs = C/H; out is [B, T, C]; att holds the softmax
/// probabilities [B, H, T, T] (zero above the diagonal) for backward.
/// Every product is a strided `cblas_sgemm` on one (batch, head) pair; the
/// pairs are split into fixed chunks, one per thread, with BLAS single-threaded
/// inside, so results do not depend on scheduling.
public enum CausalSelfAttention {
    /// Floats of scratch `backward` needs: one [T, T] matrix per thread.
    public static func scratchCount(length t: Int) -> Int { ComputeThreads.count * t * t }

    public static func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                               qkv: UnsafePointer<Float>, batch b: Int, length t: Int,
                               channels c: Int, heads h: Int) {
        let hs = c / h
        let scale = 1 / sqrtf(Float(hs))
        perPair(count: b * h) { pair in
            let bi = pair / h, hi = pair % h
            let q = qkv + bi * t * 3 * c + hi * hs
            let k = q + c, v = q + 2 * c
            let p = att + pair * t * t
            // S = scale * Q K^T  [T, T]
            Matmul.gemm(transposeA: false, transposeB: true, m: t, n: t, k: hs, alpha: scale,
                        a: q, lda: 3 * c, b: k, ldb: 3 * c, beta: 0, c: p, ldc: t)
            for i in 0..<t {
                let row = p + i * t
                let m = VectorMath.maximum(row, count: i + 1)
                let sum = VectorMath.expShiftedInPlace(row, shift: m, count: i + 1)
                VectorMath.scaleInPlace(row, by: 1 / sum, count: i + 1)
                if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
            }
            // Y = P V  [T, hs] into out[b, :, head]
            Matmul.gemm(transposeA: false, transposeB: false, m: t, n: hs, k: t,
                        a: p, lda: t, b: v, ldb: 3 * c, beta: 0,
                        c: out + bi * t * c + hi * hs, ldc: c)
        }
    }

    /// dqkv = d(attention)/d(qkv) given dout [B, T, C]; overwrites dqkv.
    /// `scratch` holds `scratchCapacity` floats, at least one [T, T] matrix;
    /// the work uses as many threads as it has matrices for.
    public static func backward(dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                                qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
                                scratch: UnsafeMutablePointer<Float>, scratchCapacity: Int,
                                batch b: Int, length t: Int, channels c: Int, heads h: Int) {
        let hs = c / h
        let scale = 1 / sqrtf(Float(hs))
        perPair(count: b * h, maximumWorkers: scratchCapacity / (t * t)) { pair, worker in
            let bi = pair / h, hi = pair % h
            let offset = bi * t * 3 * c + hi * hs
            let q = qkv + offset, k = q + c, v = q + 2 * c
            let dq = dqkv + offset, dk = dq + c, dv = dq + 2 * c
            let p = att + pair * t * t
            let dy = dout + bi * t * c + hi * hs
            let ds = scratch + worker * t * t
            // dP = dY V^T  [T, T]
            Matmul.gemm(transposeA: false, transposeB: true, m: t, n: t, k: hs,
                        a: dy, lda: c, b: v, ldb: 3 * c, beta: 0, c: ds, ldc: t)
            // dV = P^T dY  [T, hs]
            Matmul.gemm(transposeA: true, transposeB: false, m: t, n: hs, k: t,
                        a: p, lda: t, b: dy, ldb: c, beta: 0, c: dv, ldc: 3 * c)
            // dS = P * (dP - rowsum(P * dP)) * scale, zero above the diagonal
            for i in 0..<t {
                let pr = p + i * t, dr = ds + i * t
                let inner = VectorMath.dot(pr, dr, count: i + 1)
                for j in 0...i { dr[j] = pr[j] * (dr[j] - inner) * scale }
                if i + 1 < t { (dr + i + 1).update(repeating: 0, count: t - i - 1) }
            }
            // dQ = dS K, dK = dS^T Q  [T, hs]
            Matmul.gemm(transposeA: false, transposeB: false, m: t, n: hs, k: t,
                        a: ds, lda: t, b: k, ldb: 3 * c, beta: 0, c: dq, ldc: 3 * c)
            Matmul.gemm(transposeA: true, transposeB: false, m: t, n: hs, k: t,
                        a: ds, lda: t, b: q, ldb: 3 * c, beta: 0, c: dk, ldc: 3 * c)
        }
    }

    static func perPair(count: Int, _ body: (Int) -> Void) {
        perPair(count: count, maximumWorkers: count) { pair, _ in body(pair) }
    }

    /// Runs body(pair, worker) over fixed contiguous chunks of pairs, BLAS on
    /// one thread per worker meanwhile.
    static func perPair(count: Int, maximumWorkers: Int, _ body: (Int, Int) -> Void) {
        let workers = max(1, min(ComputeThreads.count, count, maximumWorkers))
        if workers <= 1 {
            for pair in 0..<count { body(pair, 0) }
            return
        }
        BLASThreads.withSingleThreadedBLAS {
            DispatchQueueBridge.perform(workers) { worker in
                for pair in ComputeThreads.chunkRange(worker, of: workers, rows: count) {
                    body(pair, worker)
                }
            }
        }
    }
}
