import Testing
@testable import AnnealTensor

/// Grouped-query attention equals multi-head attention with each kv head
/// repeated over its group, its backward matches finite differences (whole rows
/// and packed rows, row blocks smaller than the sequence, one and two threads),
/// and its gradients do not depend on the thread count.
struct GroupedQueryAttentionGradientTests {
    let b = 2, t = 5, h = 4, kvh = 2, hs = 4, rowBlock = 2
    var qCount: Int { b * t * h * hs }
    var kvCount: Int { b * t * kvh * hs }

    func forward(_ q: [Float], _ k: [Float], _ v: [Float], positions: [Int32]?) -> (out: [Float], att: [Float]) {
        var out = [Float](repeating: 0, count: qCount), att = [Float](repeating: 0, count: b * h * t * t)
        out.withUnsafeMutableBufferPointer { o in att.withUnsafeMutableBufferPointer { p in
            withOptional(positions) {
                GroupedQueryAttention.forward(out: o.baseAddress!, att: p.baseAddress!, q: q, k: k, v: v, positions: $0,
                                              batch: b, length: t, heads: h, kvHeads: kvh, headSize: hs, rowBlock: rowBlock)
            }
        }}
        return (out, att)
    }

    func backward(_ q: [Float], _ k: [Float], _ v: [Float], _ dout: [Float], positions: [Int32]?) -> [[Float]] {
        let att = forward(q, k, v, positions: positions).att
        var dq = [Float](repeating: 0, count: qCount), dk = [Float](repeating: 0, count: kvCount), dv = dk
        var scratch = [Float](repeating: 0, count: GroupedQueryAttention.scratchCount(length: t))
        dq.withUnsafeMutableBufferPointer { dqp in dk.withUnsafeMutableBufferPointer { dkp in
            dv.withUnsafeMutableBufferPointer { dvp in scratch.withUnsafeMutableBufferPointer { s in
                withOptional(positions) {
                    GroupedQueryAttention.backward(dq: dqp.baseAddress!, dk: dkp.baseAddress!, dv: dvp.baseAddress!, dout: dout,
                                                   q: q, k: k, v: v, att: att, positions: $0, scratch: s.baseAddress!,
                                                   scratchCapacity: s.count, batch: b, length: t, heads: h, kvHeads: kvh,
                                                   headSize: hs, rowBlock: rowBlock)
                }
            }}
        }}
        return [dq, dk, dv]
    }

    func withOptional(_ positions: [Int32]?, _ body: (UnsafePointer<Int32>?) -> Void) {
        if let positions { positions.withUnsafeBufferPointer { body($0.baseAddress!) } } else { body(nil) }
    }

    @Test func equalsMultiHeadAttentionWithRepeatedKeyValueHeads() {
        let q = GradientCheck.values(qCount, seed: 1), k = GradientCheck.values(kvCount, seed: 2), v = GradientCheck.values(kvCount, seed: 3)
        let c = h * hs
        var qkv = [Float](repeating: 0, count: b * t * 3 * c)
        for r in 0..<(b * t) {
            for head in 0..<h {
                for i in 0..<hs {
                    let kv = r * kvh * hs + (head / (h / kvh)) * hs + i
                    qkv[r * 3 * c + head * hs + i] = q[r * c + head * hs + i]
                    qkv[r * 3 * c + c + head * hs + i] = k[kv]
                    qkv[r * 3 * c + 2 * c + head * hs + i] = v[kv]
                }
            }
        }
        var reference = [Float](repeating: 0, count: qCount), att = [Float](repeating: 0, count: b * h * t * t)
        reference.withUnsafeMutableBufferPointer { o in att.withUnsafeMutableBufferPointer { p in
            CausalSelfAttention.forward(out: o.baseAddress!, att: p.baseAddress!, qkv: qkv, batch: b, length: t, channels: c, heads: h)
        }}
        let out = forward(q, k, v, positions: nil).out
        #expect(zip(out, reference).map { abs($0 - $1) }.max()! < 1e-6)
    }

    @Test(arguments: [(1, false), (2, false), (1, true), (2, true)])
    func backwardMatchesFiniteDifferences(threads: Int, packed: Bool) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let positions: [Int32]? = packed ? [0, 1, 0, 1, 2, 0, 1, 2, 3, 0] : nil
        var q = GradientCheck.values(qCount, seed: 4), k = GradientCheck.values(kvCount, seed: 5), v = GradientCheck.values(kvCount, seed: 6)
        let proj = GradientCheck.values(qCount, seed: 7)
        let grads = backward(q, k, v, proj, positions: positions)
        let (q0, k0, v0) = (q, k, v)
        #expect(GradientCheck.maxError(&q, analytic: grads[0], epsilon: 1e-2) { GradientCheck.project(forward($0, k0, v0, positions: positions).out, proj) } < 2e-3)
        #expect(GradientCheck.maxError(&k, analytic: grads[1], epsilon: 1e-2) { GradientCheck.project(forward(q0, $0, v0, positions: positions).out, proj) } < 2e-3)
        #expect(GradientCheck.maxError(&v, analytic: grads[2], epsilon: 1e-2) { GradientCheck.project(forward(q0, k0, $0, positions: positions).out, proj) } < 2e-3)
    }

    @Test func gradientsDoNotDependOnThreadCount() {
        let q = GradientCheck.values(qCount, seed: 8), k = GradientCheck.values(kvCount, seed: 9), v = GradientCheck.values(kvCount, seed: 10)
        let proj = GradientCheck.values(qCount, seed: 11)
        let one = backward(q, k, v, proj, positions: nil)
        ComputeThreads.set(2)
        defer { ComputeThreads.set(1) }
        let two = backward(q, k, v, proj, positions: nil)
        #expect(one.map { $0.map(\.bitPattern) } == two.map { $0.map(\.bitPattern) })
    }
}
