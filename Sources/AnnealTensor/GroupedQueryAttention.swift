#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Causal grouped-query attention (Llama, Qwen2): H query heads share Hkv key
/// and value heads, query head j reading kv head j / (H / Hkv); Hkv = H is
/// multi-head attention.
///
/// Shapes: q [B, T, H hs], k and v [B, T, Hkv hs], out [B, T, H hs]; att holds
/// the softmax probabilities [B, H, T, T] (zero above the diagonal) for
/// backward. Every product is a strided `cblas_sgemm` on one head; the work is
/// split over (batch, kv head) pairs in fixed chunks with BLAS single-threaded
/// inside, so each pair's dK and dV are summed over its query heads in order
/// by one thread, whatever the thread count. `positions` packs sequences into
/// a row exactly as in `CausalSelfAttention`.
public enum GroupedQueryAttention {
    /// Floats of scratch `backward` needs: one [T, T] matrix per thread.
    public static func scratchCount(length t: Int) -> Int { ComputeThreads.count * t * t }

    /// The layout of one call: sizes and row strides.
    struct Shape {
        let heads: Int, kvHeads: Int, headSize: Int
        var group: Int { heads / kvHeads }
        var qStride: Int { heads * headSize }
        var kvStride: Int { kvHeads * headSize }
        var scale: Float { 1 / sqrtf(Float(headSize)) }
    }

    public static func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                               q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                               positions: UnsafePointer<Int32>? = nil, batch b: Int, length t: Int,
                               heads h: Int, kvHeads: Int, headSize hs: Int,
                               rowBlock: Int = CausalSelfAttention.defaultRowBlock) {
        precondition(kvHeads > 0 && h % kvHeads == 0, "GroupedQueryAttention: \(h) heads in groups of \(kvHeads) kv heads")
        let shape = Shape(heads: h, kvHeads: kvHeads, headSize: hs)
        ComputeThreads.forEachPart(b * kvHeads) { pair, _ in
            let bi = pair / kvHeads, kvi = pair % kvHeads
            let kh = k + bi * t * shape.kvStride + kvi * hs, vh = v + bi * t * shape.kvStride + kvi * hs
            for hi in (kvi * shape.group)..<((kvi + 1) * shape.group) {
                let qh = q + bi * t * shape.qStride + hi * hs
                let p = att + (bi * h + hi) * t * t
                let y = out + bi * t * shape.qStride + hi * hs
                if positions != nil { p.update(repeating: 0, count: t * t) }
                for (s0, s1) in spans(positions.map { $0 + bi * t }, length: t) {
                    forwardSpan(out: y + s0 * shape.qStride, att: p + s0 * t + s0, q: qh + s0 * shape.qStride,
                                k: kh + s0 * shape.kvStride, v: vh + s0 * shape.kvStride, length: s1 - s0, width: t,
                                shape: shape, rowBlock: rowBlock)
                }
            }
        }
    }

    /// dq, dk, dv = d(attention)/d(q, k, v) given dout; all three are overwritten.
    /// `scratch` holds `scratchCapacity` floats, at least one [T, T] matrix.
    public static func backward(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>,
                                dv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                                q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                att: UnsafePointer<Float>, positions: UnsafePointer<Int32>? = nil,
                                scratch: UnsafeMutablePointer<Float>, scratchCapacity: Int,
                                batch b: Int, length t: Int, heads h: Int, kvHeads: Int, headSize hs: Int,
                                rowBlock: Int = CausalSelfAttention.defaultRowBlock) {
        let shape = Shape(heads: h, kvHeads: kvHeads, headSize: hs)
        ComputeThreads.forEachPart(b * kvHeads, maximumWorkers: scratchCapacity / (t * t)) { pair, worker in
            let bi = pair / kvHeads, kvi = pair % kvHeads
            let kvOffset = bi * t * shape.kvStride + kvi * hs
            let ds = scratch + worker * t * t
            for (n, hi) in ((kvi * shape.group)..<((kvi + 1) * shape.group)).enumerated() {
                let qOffset = bi * t * shape.qStride + hi * hs
                let p = att + (bi * h + hi) * t * t
                // The group's first head sets dK and dV, the others add to them.
                for (s0, s1) in spans(positions.map { $0 + bi * t }, length: t) {
                    backwardSpan(dq: dq + qOffset + s0 * shape.qStride, dk: dk + kvOffset + s0 * shape.kvStride,
                                 dv: dv + kvOffset + s0 * shape.kvStride, dout: dout + qOffset + s0 * shape.qStride,
                                 q: q + qOffset + s0 * shape.qStride, k: k + kvOffset + s0 * shape.kvStride,
                                 v: v + kvOffset + s0 * shape.kvStride, att: p + s0 * t + s0, scratch: ds + s0 * t + s0,
                                 length: s1 - s0, width: t, shape: shape, accumulateKeys: n > 0, rowBlock: rowBlock)
                }
            }
        }
    }

    /// The whole row, or its packed segments.
    static func spans(_ positions: UnsafePointer<Int32>?, length t: Int) -> [(Int, Int)] {
        positions.map { CausalSelfAttention.segments($0, length: t) } ?? [(0, t)]
    }

    /// Causal attention of one query head over one sequence of `length` positions;
    /// att points at its [length, length] block of a matrix `width` wide.
    static func forwardSpan(out: UnsafeMutablePointer<Float>, att p: UnsafeMutablePointer<Float>,
                            q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                            length t: Int, width: Int, shape: Shape, rowBlock: Int) {
        let hs = shape.headSize, qs = shape.qStride, kvs = shape.kvStride
        for (r0, r1) in CausalSelfAttention.rowBlocks(t, rowBlock) {
            // S[r0..<r1, 0..<r1] = scale * Q[r0..<r1] K[0..<r1]^T
            Matmul.gemm(transposeA: false, transposeB: true, m: r1 - r0, n: r1, k: hs, alpha: shape.scale,
                        a: q + r0 * qs, lda: qs, b: k, ldb: kvs, beta: 0, c: p + r0 * width, ldc: width)
            for i in r0..<r1 {
                let row = p + i * width
                let m = VectorMath.maximum(row, count: i + 1)
                let sum = VectorMath.expShiftedInPlace(row, shift: m, count: i + 1)
                VectorMath.scaleInPlace(row, by: 1 / sum, count: i + 1)
                if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
            }
            // Y[r0..<r1] = P[r0..<r1, 0..<r1] V[0..<r1]
            Matmul.gemm(transposeA: false, transposeB: false, m: r1 - r0, n: hs, k: r1,
                        a: p + r0 * width, lda: width, b: v, ldb: kvs, beta: 0, c: out + r0 * qs, ldc: qs)
        }
    }

    /// The backward of `forwardSpan`: sets dQ, and sets (or, with `accumulateKeys`, adds to) dK and dV.
    static func backwardSpan(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                             dout dy: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                             v: UnsafePointer<Float>, att p: UnsafePointer<Float>, scratch ds: UnsafeMutablePointer<Float>,
                             length t: Int, width: Int, shape: Shape, accumulateKeys: Bool, rowBlock: Int) {
        let hs = shape.headSize, qs = shape.qStride, kvs = shape.kvStride, scale = shape.scale
        // Last block first: it spans every key, so its products can set all of dK and dV.
        for (n, (r0, r1)) in CausalSelfAttention.rowBlocks(t, rowBlock).reversed().enumerated() {
            let rows = r1 - r0, beta: Float = (n == 0 && !accumulateKeys) ? 0 : 1
            // dP = dY V^T  [rows, r1]
            Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: r1, k: hs,
                        a: dy + r0 * qs, lda: qs, b: v, ldb: kvs, beta: 0, c: ds + r0 * width, ldc: width)
            // dV[0..<r1] (+)= P^T dY  [r1, hs]
            Matmul.gemm(transposeA: true, transposeB: false, m: r1, n: hs, k: rows,
                        a: p + r0 * width, lda: width, b: dy + r0 * qs, ldb: qs, beta: beta, c: dv, ldc: kvs)
            // dS = P * (dP - rowsum(P * dP)) * scale on and below the diagonal
            for i in r0..<r1 {
                let pr = p + i * width, dr = ds + i * width
                let inner = VectorMath.dot(pr, dr, count: i + 1)
                for j in 0...i { dr[j] = pr[j] * (dr[j] - inner) * scale }
                if i + 1 < r1 { (dr + i + 1).update(repeating: 0, count: r1 - i - 1) }
            }
            // dQ[r0..<r1] = dS K[0..<r1];  dK[0..<r1] (+)= dS^T Q[r0..<r1]
            Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: hs, k: r1,
                        a: ds + r0 * width, lda: width, b: k, ldb: kvs, beta: 0, c: dq + r0 * qs, ldc: qs)
            Matmul.gemm(transposeA: true, transposeB: false, m: r1, n: hs, k: rows,
                        a: ds + r0 * width, lda: width, b: q + r0 * qs, ldb: qs, beta: beta, c: dk, ldc: kvs)
        }
    }
}
