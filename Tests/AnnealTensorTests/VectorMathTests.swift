import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import AnnealTensor

/// The vectorised exp and tanh are accurate, and the reductions match direct sums.
struct VectorMathTests {
    @Test func expAndTanhAreAccurate() {
        var worst = 0.0
        var x: Float = -80
        while x < 80 {
            let got = Double(VectorMath.exp(x)), ref = Glibc.exp(Double(x))
            worst = max(worst, abs(got - ref) / ref)
            x += 0.0137
        }
        #expect(worst < 1e-6)
        #expect(VectorMath.exp(-1000) >= 0)
        #expect(VectorMath.exp(-Float.infinity) < 1e-37)
        #expect(abs(VectorMath.tanh(0.3) - Float(Glibc.tanh(0.3))) < 1e-6)
        #expect(abs(VectorMath.tanh(-12) + 1) < 1e-6)
    }

    @Test func reductionsMatchDirectSums() {
        let v = GradientCheck.values(2100, seed: 3)
        var out = [Float](repeating: 0, count: v.count)
        let sum = out.withUnsafeMutableBufferPointer { VectorMath.expShifted(v, shift: 0.5, $0.baseAddress!, count: v.count) }
        let ref = v.reduce(0.0) { $0 + Glibc.exp(Double($1) - 0.5) }
        #expect(abs(Double(sum) - ref) / ref < 1e-5)
        let streamed = VectorMath.sumExpShifted(v, shift: 0.5, count: v.count)
        #expect(abs(Double(streamed) - ref) / ref < 1e-5)
        #expect(VectorMath.maximum(v, count: 21) == v[0..<21].max()!)
        let dotRef = v.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(Double(VectorMath.dot(v, v, count: v.count)) - dotRef) / dotRef < 1e-5)
    }
}
