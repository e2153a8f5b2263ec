import AnnealTensor

/// Central finite differences of a scalar function of a Float buffer,
/// compared with an analytic gradient.
struct GradientCheck {
    /// A deterministic pseudo-random array in [-scale, scale).
    static func values(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    /// The largest |numeric - analytic| / max(1, |numeric|) over all entries of `x`.
    static func maxError(_ x: inout [Float], analytic: [Float], epsilon: Float = 1e-2,
                         _ f: ([Float]) -> Double) -> Double {
        var worst = 0.0
        for i in x.indices {
            let saved = x[i]
            x[i] = saved + epsilon
            let plus = f(x)
            x[i] = saved - epsilon
            let minus = f(x)
            x[i] = saved
            let numeric = (plus - minus) / (2 * Double(epsilon))
            worst = max(worst, abs(numeric - Double(analytic[i])) / max(1, abs(numeric)))
        }
        return worst
    }

    /// Σ out[i] * projection[i] in Double, the scalar the checks differentiate.
    static func project(_ out: [Float], _ projection: [Float]) -> Double {
        zip(out, projection).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
}
