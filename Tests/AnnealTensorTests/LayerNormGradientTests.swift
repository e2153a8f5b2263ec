import Testing
@testable import AnnealTensor

/// LayerNorm output is normalised, and its backward matches finite differences,
/// on one thread and on two.
struct LayerNormGradientTests {
    let rows = 70, c = 6

    func forward(_ x: [Float], _ w: [Float], _ b: [Float]) -> (out: [Float], mean: [Float], rstd: [Float]) {
        var out = [Float](repeating: 0, count: rows * c)
        var mean = [Float](repeating: 0, count: rows), rstd = mean
        out.withUnsafeMutableBufferPointer { op in mean.withUnsafeMutableBufferPointer { mp in
            rstd.withUnsafeMutableBufferPointer { rp in
                LayerNorm.forward(out: op.baseAddress!, mean: mp.baseAddress!, rstd: rp.baseAddress!,
                                  inp: x, weight: w, bias: b, rows: rows, channels: c)
            }
        }}
        return (out, mean, rstd)
    }

    @Test(arguments: [1, 2]) func backwardMatchesFiniteDifferences(threads: Int) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        var x = GradientCheck.values(rows * c, seed: 5, scale: 2)
        var w = GradientCheck.values(c, seed: 6).map { $0 + 1 }, b = GradientCheck.values(c, seed: 7)
        let proj = GradientCheck.values(rows * c, seed: 8)
        let saved = forward(x, w, b)
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: c), db = dw
        dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in
            db.withUnsafeMutableBufferPointer { dbp in
                LayerNorm.backward(dinp: dxp.baseAddress!, accumulateInput: false, dweight: dwp.baseAddress!,
                                   dbias: dbp.baseAddress!, dout: proj, inp: x, weight: w, mean: saved.mean,
                                   rstd: saved.rstd, rows: rows, channels: c)
            }
        }}
        let (x0, w0, b0) = (x, w, b)
        #expect(GradientCheck.maxError(&x, analytic: dx, epsilon: 1e-2) { GradientCheck.project(forward($0, w0, b0).out, proj) } < 2e-3)
        #expect(GradientCheck.maxError(&w, analytic: dw) { GradientCheck.project(forward(x0, $0, b0).out, proj) } < 2e-3)
        #expect(GradientCheck.maxError(&b, analytic: db) { GradientCheck.project(forward(x0, w0, $0).out, proj) } < 2e-3)
        let row = Array(saved.out[0..<c]).enumerated().map { ($0.element - b[$0.offset]) / w[$0.offset] }
        #expect(abs(row.reduce(0, +)) < 1e-4)
    }
}
