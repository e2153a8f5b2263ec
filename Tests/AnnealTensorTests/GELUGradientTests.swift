import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import AnnealTensor

/// GELU matches the tanh formula in Double, and its derivative matches finite differences.
struct GELUGradientTests {
    func forward(_ x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        out.withUnsafeMutableBufferPointer { GELU.forward(out: $0.baseAddress!, inp: x, count: x.count) }
        return out
    }

    @Test func forwardMatchesReference() {
        let x = GradientCheck.values(37, seed: 9, scale: 6)
        for (xi, yi) in zip(x, forward(x)) {
            let d = Double(xi)
            let ref = 0.5 * d * (1 + Foundation_tanh(0.7978845608 * (d + 0.044715 * d * d * d)))
            #expect(abs(Double(yi) - ref) < 1e-5)
        }
    }

    @Test func backwardMatchesFiniteDifferences() {
        var x = GradientCheck.values(37, seed: 10, scale: 4)
        let proj = GradientCheck.values(37, seed: 11)
        var dx = proj
        dx.withUnsafeMutableBufferPointer { GELU.backward(grad: $0.baseAddress!, inp: x, count: x.count) }
        #expect(GradientCheck.maxError(&x, analytic: dx, epsilon: 1e-3) { GradientCheck.project(forward($0), proj) } < 3e-3)
        // The variant that reuses tanh saved by forward gives the same gradient.
        var out = [Float](repeating: 0, count: x.count), saved = out, dxSaved = proj
        out.withUnsafeMutableBufferPointer { o in saved.withUnsafeMutableBufferPointer { t in
            GELU.forward(out: o.baseAddress!, inp: x, tanhOut: t.baseAddress!, count: x.count)
        }}
        #expect(out == forward(x))
        dxSaved.withUnsafeMutableBufferPointer { GELU.backward(grad: $0.baseAddress!, inp: x, tanh: saved, count: x.count) }
        #expect(dxSaved == dx)
    }

    func Foundation_tanh(_ x: Double) -> Double { tanh(x) }
}
