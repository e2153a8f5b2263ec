import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import AnnealTensor

/// Attention matches a direct causal softmax(QK^T/sqrt(hs))V, and its backward
/// matches finite differences, on one thread and on two.
struct CausalSelfAttentionGradientTests {
    let b = 2, t = 5, c = 6, h = 2

    func forward(_ qkv: [Float], rowBlock: Int = CausalSelfAttention.defaultRowBlock) -> [Float] {
        var out = [Float](repeating: 0, count: b * t * c)
        var att = [Float](repeating: 0, count: b * h * t * t)
        out.withUnsafeMutableBufferPointer { op in att.withUnsafeMutableBufferPointer { ap in
            CausalSelfAttention.forward(out: op.baseAddress!, att: ap.baseAddress!, qkv: qkv,
                                        batch: b, length: t, channels: c, heads: h, rowBlock: rowBlock)
        }}
        return out
    }

    @Test(arguments: [64, 2]) func forwardMatchesDirectComputation(rowBlock: Int) {
        let qkv = GradientCheck.values(b * t * 3 * c, seed: 12)
        let out = forward(qkv, rowBlock: rowBlock)
        let hs = c / h
        for bi in 0..<b { for hi in 0..<h { for i in 0..<t {
            var scores = [Double]()
            for j in 0...i {
                var s = 0.0
                let qBase = (bi * t + i) * 3 * c + hi * hs
                let kBase = (bi * t + j) * 3 * c + c + hi * hs
                for d in 0..<hs { s += Double(qkv[qBase + d]) * Double(qkv[kBase + d]) }
                scores.append(s / sqrt(Double(hs)))
            }
            let m = scores.max()!
            let e = scores.map { exp($0 - m) }
            let z = e.reduce(0, +)
            for d in 0..<hs {
                var y = 0.0
                for j in 0...i {
                    let vIndex: Int = (bi * t + j) * 3 * c + 2 * c + hi * hs + d
                    y += e[j] / z * Double(qkv[vIndex])
                }
                let outIndex: Int = (bi * t + i) * c + hi * hs + d
                #expect(abs(Double(out[outIndex]) - y) < 1e-5)
            }
        }}}
    }

    /// Threads 1 and 2, with one row block and with blocks of 2 rows (3 blocks for T = 5).
    @Test(arguments: [(1, 64), (2, 64), (1, 2), (2, 2)]) func backwardMatchesFiniteDifferences(threads: Int, rowBlock: Int) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        var qkv = GradientCheck.values(b * t * 3 * c, seed: 13, scale: 2)
        let proj = GradientCheck.values(b * t * c, seed: 14)
        var out = [Float](repeating: 0, count: b * t * c)
        var att = [Float](repeating: 0, count: b * h * t * t)
        var dqkv = [Float](repeating: 0, count: qkv.count)
        var scratch = [Float](repeating: 0, count: CausalSelfAttention.scratchCount(length: t))
        out.withUnsafeMutableBufferPointer { op in att.withUnsafeMutableBufferPointer { ap in
            CausalSelfAttention.forward(out: op.baseAddress!, att: ap.baseAddress!, qkv: qkv,
                                        batch: b, length: t, channels: c, heads: h, rowBlock: rowBlock)
        }}
        dqkv.withUnsafeMutableBufferPointer { dp in scratch.withUnsafeMutableBufferPointer { sp in
            CausalSelfAttention.backward(dqkv: dp.baseAddress!, dout: proj, qkv: qkv, att: att,
                                         scratch: sp.baseAddress!, scratchCapacity: sp.count, batch: b, length: t, channels: c, heads: h,
                                         rowBlock: rowBlock)
        }}
        #expect(GradientCheck.maxError(&qkv, analytic: dqkv) { GradientCheck.project(forward($0, rowBlock: rowBlock), proj) } < 2e-3)
    }
}
