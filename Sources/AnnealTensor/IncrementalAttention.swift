#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Causal attention for one new position per sequence against a KV cache,
/// for generation.
///
/// Shapes: qkv [B, 3C] for the new position; the caches are [B, H, capacity, hs];
/// out [B, C]. The new keys and values are stored at `position`, then each
/// (sequence, head) attends over positions 0...position with two gemvs.
public enum IncrementalAttention {
    public static func forward(out: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
                               keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>,
                               scratch: UnsafeMutablePointer<Float>, position: Int, capacity: Int,
                               batch b: Int, channels c: Int, heads h: Int) {
        let hs = c / h
        let scale = 1 / sqrtf(Float(hs))
        let n = position + 1
        for bi in 0..<b {
            for hi in 0..<h {
                let cache = (bi * h + hi) * capacity * hs
                (keys + cache + position * hs).update(from: qkv + bi * 3 * c + c + hi * hs, count: hs)
                (values + cache + position * hs).update(from: qkv + bi * 3 * c + 2 * c + hi * hs, count: hs)
            }
        }
        ComputeThreads.forEachPart(b * h) { pair, worker in
            let bi = pair / h, hi = pair % h
            let cache = pair * capacity * hs
            let scores = scratch + worker * capacity
            // scores [n] = K[0..<n] q * scale; y = V[0..<n]^T softmax(scores)
            Matmul.gemv(transposeA: false, rows: n, columns: hs, alpha: scale, a: keys + cache, lda: hs,
                        x: qkv + bi * 3 * c + hi * hs, beta: 0, y: scores)
            let m = VectorMath.maximum(scores, count: n)
            let sum = VectorMath.expShiftedInPlace(scores, shift: m, count: n)
            VectorMath.scaleInPlace(scores, by: 1 / sum, count: n)
            Matmul.gemv(transposeA: true, rows: n, columns: hs, a: values + cache, lda: hs,
                        x: scores, beta: 0, y: out + bi * c + hi * hs)
        }
    }

    /// Floats of scratch `forward` needs.
    public static func scratchCount(capacity: Int) -> Int { ComputeThreads.count * capacity }
}
