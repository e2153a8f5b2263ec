import Testing
@testable import AnnealTensor

/// Linear forward matches a direct sum, and its backward matches finite differences.
struct LinearGradientTests {
    let rows = 5, fin = 4, fout = 3

    func forward(_ x: [Float], _ w: [Float], _ b: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: rows * fout)
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
            out.withUnsafeMutableBufferPointer { op in
                Linear.forward(out: op.baseAddress!, inp: xp.baseAddress!, weight: wp.baseAddress!,
                               bias: bp.baseAddress!, rows: rows, inFeatures: fin, outFeatures: fout)
            }
        }}}
        return out
    }

    @Test func forwardMatchesDirectSum() {
        let x = GradientCheck.values(rows * fin, seed: 1), w = GradientCheck.values(fin * fout, seed: 2)
        let b = GradientCheck.values(fout, seed: 3)
        let out = forward(x, w, b)
        for r in 0..<rows { for j in 0..<fout {
            var s = b[j]
            for i in 0..<fin { s += x[r * fin + i] * w[i * fout + j] }
            #expect(abs(out[r * fout + j] - s) < 1e-5)
        }}
    }

    @Test func backwardMatchesFiniteDifferences() {
        var x = GradientCheck.values(rows * fin, seed: 1), w = GradientCheck.values(fin * fout, seed: 2)
        var b = GradientCheck.values(fout, seed: 3)
        let proj = GradientCheck.values(rows * fout, seed: 4)
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count)
        var db = [Float](repeating: 0, count: b.count)
        let ones = [Float](repeating: 1, count: rows)
        dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in
            db.withUnsafeMutableBufferPointer { dbp in
                Linear.backward(dinp: dxp.baseAddress!, accumulateInput: false, dweight: dwp.baseAddress!,
                                dbias: dbp.baseAddress!, dout: proj, inp: x, weight: w, ones: ones,
                                rows: rows, inFeatures: fin, outFeatures: fout)
            }
        }}
        let (w0, b0, x0) = (w, b, x)
        #expect(GradientCheck.maxError(&x, analytic: dx) { GradientCheck.project(forward($0, w0, b0), proj) } < 1e-3)
        #expect(GradientCheck.maxError(&w, analytic: dw) { GradientCheck.project(forward(x0, $0, b0), proj) } < 1e-3)
        #expect(GradientCheck.maxError(&b, analytic: db) { GradientCheck.project(forward(x0, w0, $0), proj) } < 1e-3)
    }
}
