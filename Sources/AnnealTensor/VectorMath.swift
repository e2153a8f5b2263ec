#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vectorised transcendental functions over buffers (16 lanes at a time), for
/// the softmaxes and GELU that would otherwise dominate the non-matmul time.
///
/// `exp` uses the range reduction x = n ln2 + r, |r| <= ln2/2, a degree-6
/// polynomial for e^r and 2^n built in the exponent bits; its relative error is
/// below 2e-7 on [-87, 88], and inputs outside are clamped.
public enum VectorMath {
    public typealias Lanes = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
    }

    /// e^x lane by lane.
    @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        let clamped = x.clamped(lowerBound: Lanes(repeating: -87.0), upperBound: Lanes(repeating: 88.0))
        // Round x*log2(e) to an integer by adding 1.5*2^23: the integer lands in the low mantissa bits.
        let shifter: Float = 12_582_912.0
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = clamped - n * 0.693_145_75 - n * 1.428_606_8e-6
        var p: Lanes = Lanes(repeating: 1.0 / 720.0)
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        let bits = unsafeBitCast(shifted, to: SIMD16<UInt32>.self) &- unsafeBitCast(Lanes(repeating: shifter), to: SIMD16<UInt32>.self)
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: Lanes.self)
        return p * scale
    }

    /// tanh(x) = 1 - 2 / (e^{2x} + 1), lane by lane.
    @inline(__always)
    public static func tanh(_ x: Lanes) -> Lanes {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// out[i] = e^(inp[i] - shift) for i < count; returns the sum of the outputs.
    /// `out` may equal `inp`.
    @discardableResult
    public static func expShifted(_ inp: UnsafePointer<Float>, shift: Float,
                                  _ out: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var sum = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= count {
            let e = exp(load(inp + i) - shift)
            store(e, out + i)
            sum += e
            i += 16
        }
        var total = sum.sum()
        if i < count {
            let e = tailExp(inp, shift: shift, from: i, count: count)
            for j in i..<count { out[j] = e[j - i]; total += e[j - i] }
        }
        return total
    }

    /// Σ e^(inp[i] - shift) for i < count, without storing the terms.
    public static func sumExpShifted(_ inp: UnsafePointer<Float>, shift: Float, count: Int) -> Float {
        var sum = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= count {
            sum += exp(load(inp + i) - shift)
            i += 16
        }
        var total = sum.sum()
        if i < count { total += tailExp(inp, shift: shift, from: i, count: count).sum() }
        return total
    }

    /// e^(inp[j] - shift) for the fewer than 16 elements from `start`, zero in unused lanes.
    @inline(__always)
    static func tailExp(_ inp: UnsafePointer<Float>, shift: Float, from start: Int, count: Int) -> Lanes {
        var tail = Lanes(repeating: -Float.infinity)
        for j in start..<count { tail[j - start] = inp[j] - shift }
        return exp(tail)
    }

    /// The largest of `count` values.
    public static func maximum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var best = Lanes(repeating: -Float.infinity)
        var i = 0
        while i + 16 <= count {
            best = pointwiseMax(best, load(p + i))
            i += 16
        }
        var m = best.max()
        while i < count { m = Swift.max(m, p[i]); i += 1 }
        return m
    }

    /// out[i] = inp[i] * scale for i < count.
    public static func scale(_ inp: UnsafePointer<Float>, by scale: Float,
                             _ out: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count { store(load(inp + i) * scale, out + i); i += 16 }
        while i < count { out[i] = inp[i] * scale; i += 1 }
    }

    /// Σ a[i] * b[i].
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = Lanes(repeating: 0)
        var i = 0
        while i + 16 <= count { acc += load(a + i) * load(b + i); i += 16 }
        var s = acc.sum()
        while i < count { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Scalar e^x through the same polynomial, for single values.
    public static func exp(_ x: Float) -> Float { exp(Lanes(repeating: x))[0] }
}
