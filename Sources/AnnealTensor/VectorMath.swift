/// Transcendentals and reductions over Float buffers, written as plain loops
/// the compiler vectorises, for the softmaxes, GELU and LayerNorm that would
/// otherwise dominate the non-matmul time.
///
/// `exp` uses the range reduction x = n ln2 + r, |r| <= ln2/2, a degree-6
/// polynomial for e^r and 2^n built in the exponent bits; its relative error is
/// below 1e-6 on [-87, 88], and inputs outside are clamped (so e^-inf is ~1e-38).
/// Reductions use eight fixed partial sums, so results are deterministic.
public enum VectorMath {
    /// e^x.
    @inline(__always)
    public static func exp(_ x0: Float) -> Float {
        var x = x0
        x = x < -87 ? -87 : x
        x = x > 88 ? 88 : x
        // Round x*log2(e) to an integer by adding 1.5*2^23: the integer lands in the low mantissa bits.
        let shifter: Float = 12_582_912.0
        let shifted = x * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = x - n * 0.693_145_75 - n * 1.428_606_8e-6
        var p: Float = 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        let bits = shifted.bitPattern &- shifter.bitPattern
        return p * Float(bitPattern: (bits &+ 127) &<< 23)
    }

    /// tanh(x) = 1 - 2 / (e^{2x} + 1).
    @inline(__always)
    public static func tanh(_ x: Float) -> Float { 1 - 2 / (exp(2 * x) + 1) }

    /// out[i] = e^(inp[i] - shift) for i < count; returns the sum of the outputs.
    /// `out` must not overlap `inp` (use `expShiftedInPlace`): overlapping
    /// buffers defeat the vectoriser's alias check.
    @discardableResult
    public static func expShifted(_ inp: UnsafePointer<Float>, shift: Float,
                                  _ out: UnsafeMutablePointer<Float>, count: Int) -> Float {
        for i in 0..<count { out[i] = exp(inp[i] - shift) }
        return sum(out, count: count)
    }

    /// p[i] = e^(p[i] - shift) for i < count; returns the sum.
    @discardableResult
    public static func expShiftedInPlace(_ p: UnsafeMutablePointer<Float>, shift: Float, count: Int) -> Float {
        for i in 0..<count { p[i] = exp(p[i] - shift) }
        return sum(p, count: count)
    }

    /// p[i] *= scale for i < count.
    public static func scaleInPlace(_ p: UnsafeMutablePointer<Float>, by scale: Float, count: Int) {
        for i in 0..<count { p[i] *= scale }
    }

    /// Σ e^(inp[i] - shift) for i < count, without writing to `inp`.
    public static func sumExpShifted(_ inp: UnsafePointer<Float>, shift: Float, count: Int) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 1024) { block in
            let tmp = block.baseAddress!
            var total: Float = 0, i = 0
            while i < count {
                let k = min(1024, count - i)
                total += expShifted(inp + i, shift: shift, tmp, count: k)
                i += k
            }
            return total
        }
    }

    /// Σ p[i], with eight fixed partial sums.
    public static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0, s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var i = 0
        while i + 8 <= count {
            s0 += p[i]; s1 += p[i + 1]; s2 += p[i + 2]; s3 += p[i + 3]
            s4 += p[i + 4]; s5 += p[i + 5]; s6 += p[i + 6]; s7 += p[i + 7]
            i += 8
        }
        var tail: Float = 0
        while i < count { tail += p[i]; i += 1 }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + tail
    }

    /// Σ a[i] * b[i], with eight fixed partial sums.
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0, s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var i = 0
        while i + 8 <= count {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
            s4 += a[i + 4] * b[i + 4]; s5 += a[i + 5] * b[i + 5]; s6 += a[i + 6] * b[i + 6]; s7 += a[i + 7] * b[i + 7]
            i += 8
        }
        var tail: Float = 0
        while i < count { tail += a[i] * b[i]; i += 1 }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + tail
    }

    /// The largest of `count` values (count > 0).
    public static func maximum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0
        var i = 0
        while i + 8 <= count {
            m0 = p[i] > m0 ? p[i] : m0; m1 = p[i + 1] > m1 ? p[i + 1] : m1
            m2 = p[i + 2] > m2 ? p[i + 2] : m2; m3 = p[i + 3] > m3 ? p[i + 3] : m3
            m4 = p[i + 4] > m4 ? p[i + 4] : m4; m5 = p[i + 5] > m5 ? p[i + 5] : m5
            m6 = p[i + 6] > m6 ? p[i + 6] : m6; m7 = p[i + 7] > m7 ? p[i + 7] : m7
            i += 8
        }
        while i < count { m0 = p[i] > m0 ? p[i] : m0; i += 1 }
        return Swift.max(Swift.max(Swift.max(m0, m1), Swift.max(m2, m3)), Swift.max(Swift.max(m4, m5), Swift.max(m6, m7)))
    }

    /// out[i] = inp[i] * scale for i < count (`out` must not overlap `inp`).
    public static func scale(_ inp: UnsafePointer<Float>, by scale: Float,
                             _ out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = inp[i] * scale }
    }
}
