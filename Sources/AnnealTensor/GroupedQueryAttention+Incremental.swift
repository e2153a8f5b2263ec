#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GroupedQueryAttention {
    /// Floats of scratch `incremental` needs.
    public static func incrementalScratchCount(capacity: Int) -> Int { ComputeThreads.count * capacity }

    /// One new position per sequence against a KV cache, for generation.
    ///
    /// Shapes: q [B, H hs], newKeys and newValues [B, Hkv hs] (already rotated);
    /// the caches are [B, Hkv, capacity, hs]; out [B, H hs]. The new keys and
    /// values are stored at `position`, then each (sequence, query head)
    /// attends over its kv head's positions 0...position with two gemvs.
    public static func incremental(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>,
                                   newKeys: UnsafePointer<Float>, newValues: UnsafePointer<Float>,
                                   keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>,
                                   scratch: UnsafeMutablePointer<Float>, position: Int, capacity: Int,
                                   batch b: Int, heads h: Int, kvHeads: Int, headSize hs: Int) {
        let shape = Shape(heads: h, kvHeads: kvHeads, headSize: hs)
        let n = position + 1
        for bi in 0..<b {
            for kvi in 0..<kvHeads {
                let cache = (bi * kvHeads + kvi) * capacity * hs + position * hs
                (keys + cache).update(from: newKeys + bi * shape.kvStride + kvi * hs, count: hs)
                (values + cache).update(from: newValues + bi * shape.kvStride + kvi * hs, count: hs)
            }
        }
        ComputeThreads.forEachPart(b * h, maximumWorkers: ComputeThreads.count) { pair, worker in
            let bi = pair / h, hi = pair % h
            let cache = (bi * kvHeads + hi / shape.group) * capacity * hs
            let scores = scratch + worker * capacity
            // scores [n] = K[0..<n] q * scale; y = V[0..<n]^T softmax(scores)
            Matmul.gemv(transposeA: false, rows: n, columns: hs, alpha: shape.scale, a: keys + cache, lda: hs,
                        x: q + bi * shape.qStride + hi * hs, beta: 0, y: scores)
            let m = VectorMath.maximum(scores, count: n)
            let sum = VectorMath.expShiftedInPlace(scores, shift: m, count: n)
            VectorMath.scaleInPlace(scores, by: 1 / sum, count: n)
            Matmul.gemv(transposeA: true, rows: n, columns: hs, a: values + cache, lda: hs,
                        x: scores, beta: 0, y: out + bi * shape.qStride + hi * hs)
        }
    }
}
