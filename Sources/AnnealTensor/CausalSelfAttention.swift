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

    /// Rows per block of the causal blocking: a block of query rows [r0, r1)
    /// only needs keys [0, r1), which skips most of the masked upper triangle
    /// (3/4 of the full products at T = 2 blocks, 5/8 at 4).
    public static let defaultRowBlock = 64

    public static func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                               qkv: UnsafePointer<Float>, batch b: Int, length t: Int,
                               channels c: Int, heads h: Int, rowBlock: Int = defaultRowBlock) {
        let hs = c / h
        let scale = 1 / sqrtf(Float(hs))
        perPair(count: b * h) { pair in
            let bi = pair / h, hi = pair % h
            let q = qkv + bi * t * 3 * c + hi * hs
            let k = q + c, v = q + 2 * c
            let p = att + pair * t * t
            for (r0, r1) in rowBlocks(t, rowBlock) {
                // S[r0..<r1, 0..<r1] = scale * Q[r0..<r1] K[0..<r1]^T
                Matmul.gemm(transposeA: false, transposeB: true, m: r1 - r0, n: r1, k: hs, alpha: scale,
                            a: q + r0 * 3 * c, lda: 3 * c, b: k, ldb: 3 * c, beta: 0, c: p + r0 * t, ldc: t)
                for i in r0..<r1 {
                    let row = p + i * t
                    let m = VectorMath.maximum(row, count: i + 1)
                    let sum = VectorMath.expShiftedInPlace(row, shift: m, count: i + 1)
                    VectorMath.scaleInPlace(row, by: 1 / sum, count: i + 1)
                    if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
                }
                // Y[r0..<r1] = P[r0..<r1, 0..<r1] V[0..<r1]  into out[b, :, head]
                Matmul.gemm(transposeA: false, transposeB: false, m: r1 - r0, n: hs, k: r1,
                            a: p + r0 * t, lda: t, b: v, ldb: 3 * c, beta: 0,
                            c: out + (bi * t + r0) * c + hi * hs, ldc: c)
            }
        }
    }

    /// dqkv = d(attention)/d(qkv) given dout [B, T, C]; overwrites dqkv.
    /// `scratch` holds `scratchCapacity` floats, at least one [T, T] matrix;
    /// the work uses as many threads as it has matrices for.
    public static func backward(dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                                qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
                                scratch: UnsafeMutablePointer<Float>, scratchCapacity: Int,
                                batch b: Int, length t: Int, channels c: Int, heads h: Int,
                                rowBlock: Int = defaultRowBlock) {
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
            // Last block first: it spans every key, so its beta-0 products set all of dK and dV.
            for (n, (r0, r1)) in rowBlocks(t, rowBlock).reversed().enumerated() {
                let rows = r1 - r0, beta: Float = n == 0 ? 0 : 1
                // dP = dY V^T  [rows, r1]
                Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: r1, k: hs,
                            a: dy + r0 * c, lda: c, b: v, ldb: 3 * c, beta: 0, c: ds + r0 * t, ldc: t)
                // dV[0..<r1] += P^T dY  [r1, hs]
                Matmul.gemm(transposeA: true, transposeB: false, m: r1, n: hs, k: rows,
                            a: p + r0 * t, lda: t, b: dy + r0 * c, ldb: c, beta: beta, c: dv, ldc: 3 * c)
                // dS = P * (dP - rowsum(P * dP)) * scale on and below the diagonal
                for i in r0..<r1 {
                    let pr = p + i * t, dr = ds + i * t
                    let inner = VectorMath.dot(pr, dr, count: i + 1)
                    for j in 0...i { dr[j] = pr[j] * (dr[j] - inner) * scale }
                    if i + 1 < r1 { (dr + i + 1).update(repeating: 0, count: r1 - i - 1) }
                }
                // dQ[r0..<r1] = dS K[0..<r1];  dK[0..<r1] += dS^T Q[r0..<r1]
                Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: hs, k: r1,
                            a: ds + r0 * t, lda: t, b: k, ldb: 3 * c, beta: 0, c: dq + r0 * 3 * c, ldc: 3 * c)
                Matmul.gemm(transposeA: true, transposeB: false, m: r1, n: hs, k: rows,
                            a: ds + r0 * t, lda: t, b: q + r0 * 3 * c, ldb: 3 * c, beta: beta, c: dk, ldc: 3 * c)
            }
        }
    }

    /// Query-row blocks [r0, r1) of at most `size` rows covering 0..<t.
    static func rowBlocks(_ t: Int, _ size: Int) -> [(Int, Int)] {
        stride(from: 0, to: t, by: max(1, size)).map { ($0, min(t, $0 + max(1, size))) }
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
