import Foundation
import Testing
@testable import AnnealTensor

/// SwiGLU is silu(gate) * up, and its backward matches finite differences.
struct SwiGLUGradientTests {
    let count = 300

    func forward(_ gate: [Float], _ up: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { SwiGLU.forward(out: $0.baseAddress!, gate: gate, up: up, count: count) }
        return out
    }

    @Test func forwardMatchesDefinition() {
        let gate = GradientCheck.values(count, seed: 1, scale: 6), up = GradientCheck.values(count, seed: 2, scale: 2)
        for (i, y) in forward(gate, up).enumerated() {
            let g = Double(gate[i])
            #expect(abs(Double(y) - g / (1 + Foundation.exp(-g)) * Double(up[i])) < 1e-5)
        }
    }

    @Test func backwardMatchesFiniteDifferences() {
        var gate = GradientCheck.values(count, seed: 3, scale: 5), up = GradientCheck.values(count, seed: 4, scale: 2)
        let proj = GradientCheck.values(count, seed: 5)
        var dgate = [Float](repeating: 0, count: count), dup = dgate
        dgate.withUnsafeMutableBufferPointer { dg in dup.withUnsafeMutableBufferPointer { du in
            SwiGLU.backward(dgate: dg.baseAddress!, dup: du.baseAddress!, dout: proj, gate: gate, up: up, count: count)
        }}
        let (gate0, up0) = (gate, up)
        #expect(GradientCheck.maxError(&gate, analytic: dgate, epsilon: 1e-3) { GradientCheck.project(forward($0, up0), proj) } < 2e-3)
        #expect(GradientCheck.maxError(&up, analytic: dup, epsilon: 1e-3) { GradientCheck.project(forward(gate0, $0), proj) } < 2e-3)
    }
}
