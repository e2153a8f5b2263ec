import Testing
@testable import AnnealTensor

/// RMSNorm matches its definition, its backward matches finite differences, and
/// its weight gradient is the same bytes on one and two threads.
struct RMSNormGradientTests {
    let rows = 70, c = 6, epsilon: Float = 1e-5

    func forward(_ x: [Float], _ w: [Float]) -> (out: [Float], rstd: [Float]) {
        var out = [Float](repeating: 0, count: rows * c), rstd = [Float](repeating: 0, count: rows)
        out.withUnsafeMutableBufferPointer { op in rstd.withUnsafeMutableBufferPointer { rp in
            RMSNorm.forward(out: op.baseAddress!, rstd: rp.baseAddress!, inp: x, weight: w, epsilon: epsilon, rows: rows, channels: c)
        }}
        return (out, rstd)
    }

    func backward(_ x: [Float], _ w: [Float], _ dout: [Float], _ rstd: [Float]) -> (dx: [Float], dw: [Float]) {
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: c)
        dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in
            RMSNorm.backward(dinp: dxp.baseAddress!, accumulateInput: false, dweight: dwp.baseAddress!, dout: dout, inp: x,
                             weight: w, rstd: rstd, rows: rows, channels: c)
        }}
        return (dx, dw)
    }

    @Test func forwardMatchesDefinition() {
        let x = GradientCheck.values(rows * c, seed: 1, scale: 2), w = GradientCheck.values(c, seed: 2).map { $0 + 1 }
        let out = forward(x, w).out
        for r in [0, 33, 69] {
            let row = x[(r * c)..<((r + 1) * c)].map(Double.init)
            let s = 1 / (row.map { $0 * $0 }.reduce(0, +) / Double(c) + Double(epsilon)).squareRoot()
            for i in 0..<c { #expect(abs(Double(out[r * c + i]) - row[i] * s * Double(w[i])) < 1e-5) }
        }
    }

    @Test(arguments: [1, 2]) func backwardMatchesFiniteDifferences(threads: Int) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        var x = GradientCheck.values(rows * c, seed: 5, scale: 2), w = GradientCheck.values(c, seed: 6).map { $0 + 1 }
        let proj = GradientCheck.values(rows * c, seed: 8)
        let (dx, dw) = backward(x, w, proj, forward(x, w).rstd)
        let (x0, w0) = (x, w)
        #expect(GradientCheck.maxError(&x, analytic: dx) { GradientCheck.project(forward($0, w0).out, proj) } < 2e-3)
        #expect(GradientCheck.maxError(&w, analytic: dw) { GradientCheck.project(forward(x0, $0).out, proj) } < 2e-3)
    }

    @Test func weightGradientDoesNotDependOnThreadCount() {
        let x = GradientCheck.values(rows * c, seed: 9, scale: 3), w = GradientCheck.values(c, seed: 10).map { $0 + 1 }
        let proj = GradientCheck.values(rows * c, seed: 11)
        let rstd = forward(x, w).rstd
        let one = backward(x, w, proj, rstd)
        ComputeThreads.set(2)
        defer { ComputeThreads.set(1) }
        let two = backward(x, w, proj, rstd)
        #expect(one.dw.map(\.bitPattern) == two.dw.map(\.bitPattern))
        #expect(one.dx.map(\.bitPattern) == two.dx.map(\.bitPattern))
    }

    @Test func insideAParallelSectionItCoversEveryRow() {
        ComputeThreads.set(2)
        defer { ComputeThreads.set(1) }
        let x = GradientCheck.values(rows * c, seed: 12, scale: 2), w = GradientCheck.values(c, seed: 13).map { $0 + 1 }
        let proj = GradientCheck.values(rows * c, seed: 14)
        let rstd = forward(x, w).rstd
        let outside = backward(x, w, proj, rstd)
        var inside = outside
        inside.dx = []
        DispatchQueueBridge.perform(1) { _ in inside = backward(x, w, proj, rstd) }
        #expect(inside.dx.map(\.bitPattern) == outside.dx.map(\.bitPattern))
        #expect(inside.dw.map(\.bitPattern) == outside.dw.map(\.bitPattern))
    }
}
