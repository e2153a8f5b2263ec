import Testing
@testable import AnnealTensor

/// TorchLinear with W [out, in] computes what Linear computes with W^T, and its
/// backward matches finite differences.
struct TorchLinearGradientTests {
    let rows = 5, fin = 4, fout = 3

    func forward(_ x: [Float], _ w: [Float], _ bias: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: rows * fout)
        out.withUnsafeMutableBufferPointer {
            TorchLinear.forward(out: $0.baseAddress!, inp: x, weight: w, bias: bias, rows: rows, inFeatures: fin, outFeatures: fout)
        }
        return out
    }

    @Test func equalsLinearWithTheTransposedWeight() {
        let x = GradientCheck.values(rows * fin, seed: 1), w = GradientCheck.values(fout * fin, seed: 2), bias = GradientCheck.values(fout, seed: 3)
        let transposed = (0..<(fin * fout)).map { w[($0 % fout) * fin + $0 / fout] }
        var reference = [Float](repeating: 0, count: rows * fout)
        reference.withUnsafeMutableBufferPointer {
            Linear.forward(out: $0.baseAddress!, inp: x, weight: transposed, bias: bias, rows: rows, inFeatures: fin, outFeatures: fout)
        }
        #expect(zip(forward(x, w, bias), reference).map { abs($0 - $1) }.max()! < 1e-6)
    }

    @Test func backwardMatchesFiniteDifferences() {
        var x = GradientCheck.values(rows * fin, seed: 4), w = GradientCheck.values(fout * fin, seed: 5), bias = GradientCheck.values(fout, seed: 6)
        let proj = GradientCheck.values(rows * fout, seed: 7), ones = [Float](repeating: 1, count: rows)
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: fout)
        dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in db.withUnsafeMutableBufferPointer { dbp in
            TorchLinear.backward(dinp: dxp.baseAddress!, accumulateInput: false, dweight: dwp.baseAddress!, dbias: dbp.baseAddress!,
                                 dout: proj, inp: x, weight: w, ones: ones, rows: rows, inFeatures: fin, outFeatures: fout)
        }}}
        let (x0, w0, b0) = (x, w, bias)
        #expect(GradientCheck.maxError(&x, analytic: dx) { GradientCheck.project(forward($0, w0, b0), proj) } < 1e-3)
        #expect(GradientCheck.maxError(&w, analytic: dw) { GradientCheck.project(forward(x0, $0, b0), proj) } < 1e-3)
        #expect(GradientCheck.maxError(&bias, analytic: db) { GradientCheck.project(forward(x0, w0, $0), proj) } < 1e-3)
    }
}
