import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import AnnealTensor

/// The vectorised exp is accurate across the float range the kernels use.
struct VectorMathTests {
    @Test func expIsAccurate() {
        var worst = 0.0
        var x: Float = -80
        while x < 80 {
            let got = Double(VectorMath.exp(x)), ref = Foundation.exp(Double(x))
            worst = max(worst, abs(got - ref) / ref)
            x += 0.0137
        }
        #expect(worst < 1e-6)
        #expect(VectorMath.exp(-1000) >= 0)
        #expect(VectorMath.exp(-Float.infinity) < 1e-37)
    }

    @Test func expShiftedSumsTail() {
        let v = GradientCheck.values(21, seed: 3)
        var out = [Float](repeating: 0, count: 21)
        let sum = out.withUnsafeMutableBufferPointer { VectorMath.expShifted(v, shift: 0.5, $0.baseAddress!, count: 21) }
        let ref = v.reduce(0.0) { $0 + Foundation.exp(Double($1) - 0.5) }
        #expect(abs(Double(sum) - ref) < 1e-4)
        #expect(abs(VectorMath.maximum(v, count: 21) - v.max()!) == 0)
    }

    enum Foundation { static func exp(_ x: Double) -> Double { Glibc.exp(x) } }
}
