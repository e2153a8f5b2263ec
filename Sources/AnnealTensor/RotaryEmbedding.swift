#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embeddings in the rotate-half form of Llama and Qwen2.
///
/// Each head vector v of size hs = 2 * half turns, pair (i, i + half) by angle
/// position * inverseFrequency[i]:
///   v'[i]        = v[i] cos - v[i + half] sin
///   v'[i + half] = v[i + half] cos + v[i] sin
/// The tables hold cos and sin [positions, half]. A rotation's backward is the
/// rotation by minus the angle, so both directions share one loop.
public enum RotaryEmbedding {
    /// The cos and sin tables [positions, half] for the given inverse frequencies
    /// [half]: the angle is rounded to Float as a Float32 product would be (as
    /// PyTorch computes it), then its cosine and sine are taken.
    public static func tables(inverseFrequencies: [Float], positions: Int) -> (cos: [Float], sin: [Float]) {
        let half = inverseFrequencies.count
        var cosines = [Float](repeating: 0, count: positions * half), sines = cosines
        for p in 0..<positions {
            for i in 0..<half {
                let angle = Double(Float(p) * inverseFrequencies[i])
                cosines[p * half + i] = Float(cos(angle))
                sines[p * half + i] = Float(sin(angle))
            }
        }
        return (cosines, sines)
    }

    /// Rotates x in place: x is [B * T, heads * hs] with rows `rowStride` apart;
    /// row r sits at position positions[r] (packed rows) or r % length.
    public static func forward(_ x: UnsafeMutablePointer<Float>, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>,
                               positions: UnsafePointer<Int32>? = nil, batch b: Int, length t: Int,
                               heads: Int, headSize hs: Int, rowStride: Int) {
        rotate(x, cos: cos, sin: sin, sign: 1, positions: positions, rows: b * t, length: t, heads: heads, headSize: hs,
               rowStride: rowStride)
    }

    /// Turns d(rotated) into d(x) in place (the inverse rotation); arguments as `forward`.
    public static func backward(_ dx: UnsafeMutablePointer<Float>, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>,
                                positions: UnsafePointer<Int32>? = nil, batch b: Int, length t: Int,
                                heads: Int, headSize hs: Int, rowStride: Int) {
        rotate(dx, cos: cos, sin: sin, sign: -1, positions: positions, rows: b * t, length: t, heads: heads, headSize: hs,
               rowStride: rowStride)
    }

    /// Rotates one row per sequence, each at its own position (generation with a KV cache).
    public static func forward(_ x: UnsafeMutablePointer<Float>, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>,
                               rowPositions: [Int], heads: Int, headSize hs: Int, rowStride: Int) {
        let half = hs / 2
        for (r, p) in rowPositions.enumerated() {
            rotateRow(x + r * rowStride, cos: cos + p * half, sin: sin + p * half, sign: 1, heads: heads, half: half)
        }
    }

    static func rotate(_ x: UnsafeMutablePointer<Float>, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, sign: Float,
                       positions: UnsafePointer<Int32>?, rows: Int, length t: Int, heads: Int, headSize hs: Int, rowStride: Int) {
        let half = hs / 2
        ComputeThreads.forEachChunk(rows: rows, minimumRowsPerChunk: 32) { range in
            for r in range {
                let p = positions.map { Int($0[r]) } ?? r % t
                rotateRow(x + r * rowStride, cos: cos + p * half, sin: sin + p * half, sign: sign, heads: heads, half: half)
            }
        }
    }

    @inline(__always)
    static func rotateRow(_ row: UnsafeMutablePointer<Float>, cos c: UnsafePointer<Float>, sin s: UnsafePointer<Float>,
                          sign: Float, heads: Int, half: Int) {
        for h in 0..<heads {
            let v = row + h * 2 * half
            for i in 0..<half {
                let a = v[i], b = v[i + half], si = sign * s[i]
                v[i] = a * c[i] - b * si
                v[i + half] = b * c[i] + a * si
            }
        }
    }
}
