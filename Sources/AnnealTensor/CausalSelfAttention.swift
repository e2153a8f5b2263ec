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
/// Every product is one strided single-threaded `cblas_sgemm` on one
/// (batch, head) pair; the threads share out the pairs, so results depend on
/// neither scheduling nor the thread count.
public enum CausalSelfAttention {
    /// Floats of scratch `backward` needs: one [T, T] matrix per thread.
    public static func scratchCount(length t: Int) -> Int { ComputeThreads.count * t * t }

    /// Rows per block of the causal blocking: a block of query rows [r0, r1)
    /// only needs keys [0, r1), which skips most of the masked upper triangle
    /// (3/4 of the full products at T = 2 blocks, 5/8 at 4).
    public static let defaultRowBlock = 64

    /// `positions` (optional, [B, T]) packs several sequences into one row: a
    /// segment starts wherever the position is 0 (and at t = 0) and runs to the
    /// next start, and a query attends only to the keys of its own segment at or
    /// before it, so att is block-diagonal. Without positions each row is one
    /// sequence. Positions must restart at 0 and otherwise count up by one.
    public static func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                               qkv: UnsafePointer<Float>, positions: UnsafePointer<Int32>? = nil,
                               batch b: Int, length t: Int, channels c: Int, heads h: Int,
                               rowBlock: Int = defaultRowBlock) {
        let hs = c / h
        let scale = 1 / sqrtf(Float(hs))
        ComputeThreads.forEachPart(b * h) { pair, _ in
            let bi = pair / h, hi = pair % h
            let q = qkv + bi * t * 3 * c + hi * hs
            let p = att + pair * t * t
            let y = out + bi * t * c + hi * hs
            guard let positions else {
                forwardSpan(out: y, att: p, q: q, length: t, width: t, channels: c, headSize: hs, scale: scale, rowBlock: rowBlock)
                return
            }
            p.update(repeating: 0, count: t * t)
            for (s0, s1) in segments(positions + bi * t, length: t) {
                forwardSpan(out: y + s0 * c, att: p + s0 * t + s0, q: q + s0 * 3 * c, length: s1 - s0, width: t,
                            channels: c, headSize: hs, scale: scale, rowBlock: rowBlock)
            }
        }
    }

    /// Causal attention of one head over one sequence of `length` positions:
    /// q points at its first query (k and v follow at +C, +2C, rows 3C apart),
    /// att at its [length, length] block of a matrix `width` wide, out at its
    /// first output row (rows C apart).
    static func forwardSpan(out: UnsafeMutablePointer<Float>, att p: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>,
                            length t: Int, width: Int, channels c: Int, headSize hs: Int, scale: Float, rowBlock: Int) {
        let k = q + c, v = q + 2 * c
        for (r0, r1) in rowBlocks(t, rowBlock) {
            // S[r0..<r1, 0..<r1] = scale * Q[r0..<r1] K[0..<r1]^T
            Matmul.gemm(transposeA: false, transposeB: true, m: r1 - r0, n: r1, k: hs, alpha: scale,
                        a: q + r0 * 3 * c, lda: 3 * c, b: k, ldb: 3 * c, beta: 0, c: p + r0 * width, ldc: width, split: false)
            for i in r0..<r1 {
                let row = p + i * width
                let m = VectorMath.maximum(row, count: i + 1)
                let sum = VectorMath.expShiftedInPlace(row, shift: m, count: i + 1)
                VectorMath.scaleInPlace(row, by: 1 / sum, count: i + 1)
                if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
            }
            // Y[r0..<r1] = P[r0..<r1, 0..<r1] V[0..<r1]
            Matmul.gemm(transposeA: false, transposeB: false, m: r1 - r0, n: hs, k: r1,
                        a: p + r0 * width, lda: width, b: v, ldb: 3 * c, beta: 0,
                        c: out + r0 * c, ldc: c, split: false)
        }
    }

    /// dqkv = d(attention)/d(qkv) given dout [B, T, C]; overwrites dqkv.
    /// `scratch` holds `scratchCapacity` floats, at least one [T, T] matrix;
    /// the work uses as many threads as it has matrices for. `positions` must
    /// be those the forward had.
    public static func backward(dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                                qkv: UnsafePointer<Float>, att: UnsafePointer<Float>,
                                positions: UnsafePointer<Int32>? = nil,
                                scratch: UnsafeMutablePointer<Float>, scratchCapacity: Int,
                                batch b: Int, length t: Int, channels c: Int, heads h: Int,
                                rowBlock: Int = defaultRowBlock) {
        let hs = c / h
        let scale = 1 / sqrtf(Float(hs))
        ComputeThreads.forEachPart(b * h, maximumWorkers: scratchCapacity / (t * t)) { pair, worker in
            let bi = pair / h, hi = pair % h
            let offset = bi * t * 3 * c + hi * hs
            let p = att + pair * t * t
            let dy = dout + bi * t * c + hi * hs
            let ds = scratch + worker * t * t
            guard let positions else {
                backwardSpan(dq: dqkv + offset, dout: dy, q: qkv + offset, att: p, scratch: ds, length: t, width: t,
                             channels: c, headSize: hs, scale: scale, rowBlock: rowBlock)
                return
            }
            // P is zero across segments, so the whole-row backward would give the same
            // gradients; per segment it skips those zeros, and each segment's backward
            // sets its own rows of dQ, dK and dV.
            for (s0, s1) in segments(positions + bi * t, length: t) {
                backwardSpan(dq: dqkv + offset + s0 * 3 * c, dout: dy + s0 * c, q: qkv + offset + s0 * 3 * c,
                             att: p + s0 * t + s0, scratch: ds + s0 * t + s0, length: s1 - s0, width: t,
                             channels: c, headSize: hs, scale: scale, rowBlock: rowBlock)
            }
        }
    }

    /// The backward of `forwardSpan` for one head over one sequence; dq, dk, dv
    /// and q, k, v are laid out like q in `forwardSpan`, scratch like att.
    static func backwardSpan(dq: UnsafeMutablePointer<Float>, dout dy: UnsafePointer<Float>, q: UnsafePointer<Float>,
                             att p: UnsafePointer<Float>, scratch ds: UnsafeMutablePointer<Float>,
                             length t: Int, width: Int, channels c: Int, headSize hs: Int, scale: Float, rowBlock: Int) {
        let k = q + c, v = q + 2 * c, dk = dq + c, dv = dq + 2 * c
        // Last block first: it spans every key, so its beta-0 products set all of dK and dV.
        for (n, (r0, r1)) in rowBlocks(t, rowBlock).reversed().enumerated() {
            let rows = r1 - r0, beta: Float = n == 0 ? 0 : 1
            // dP = dY V^T  [rows, r1]
            Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: r1, k: hs,
                        a: dy + r0 * c, lda: c, b: v, ldb: 3 * c, beta: 0, c: ds + r0 * width, ldc: width, split: false)
            // dV[0..<r1] += P^T dY  [r1, hs]
            Matmul.gemm(transposeA: true, transposeB: false, m: r1, n: hs, k: rows,
                        a: p + r0 * width, lda: width, b: dy + r0 * c, ldb: c, beta: beta, c: dv, ldc: 3 * c, split: false)
            // dS = P * (dP - rowsum(P * dP)) * scale on and below the diagonal
            for i in r0..<r1 {
                let pr = p + i * width, dr = ds + i * width
                let inner = VectorMath.dot(pr, dr, count: i + 1)
                for j in 0...i { dr[j] = pr[j] * (dr[j] - inner) * scale }
                if i + 1 < r1 { (dr + i + 1).update(repeating: 0, count: r1 - i - 1) }
            }
            // dQ[r0..<r1] = dS K[0..<r1];  dK[0..<r1] += dS^T Q[r0..<r1]
            Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: hs, k: r1,
                        a: ds + r0 * width, lda: width, b: k, ldb: 3 * c, beta: 0, c: dq + r0 * 3 * c, ldc: 3 * c, split: false)
            Matmul.gemm(transposeA: true, transposeB: false, m: r1, n: hs, k: rows,
                        a: ds + r0 * width, lda: width, b: q + r0 * 3 * c, ldb: 3 * c, beta: beta, c: dk, ldc: 3 * c, split: false)
        }
    }

    /// The segments [s0, s1) of one row: a segment starts at 0 and wherever the position is 0.
    static func segments(_ positions: UnsafePointer<Int32>, length t: Int) -> [(Int, Int)] {
        var starts = [0]
        for i in 1..<max(t, 1) where positions[i] == 0 { starts.append(i) }
        return starts.indices.map { (starts[$0], $0 + 1 < starts.count ? starts[$0 + 1] : t) }
    }

    /// Query-row blocks [r0, r1) of at most `size` rows covering 0..<t.
    static func rowBlocks(_ t: Int, _ size: Int) -> [(Int, Int)] {
        stride(from: 0, to: t, by: max(1, size)).map { ($0, min(t, $0 + max(1, size))) }
    }
}
