import Testing
@testable import AnnealTensor

/// Attention over packed rows (positions restarting at 0) gives each segment
/// the output and the qkv gradient of the same segment run alone, with row
/// blocks smaller than a segment and on one thread or two.
struct PackedAttentionKernelTests {
    let t = 9, c = 6, h = 2
    /// Row 0: segments of 4 and 5; row 1: segments of 2, 3 and 4.
    let positions: [Int32] = [0, 1, 2, 3, 0, 1, 2, 3, 4,
                              0, 1, 0, 1, 2, 0, 1, 2, 3]
    let segments = [(0, 0, 4), (0, 4, 9), (1, 0, 2), (1, 2, 5), (1, 5, 9)]

    /// Output, probabilities and dqkv of `batch` rows of `length`.
    func run(qkv: [Float], dout: [Float], positions: [Int32]?, batch: Int, length: Int,
             rowBlock: Int) -> (out: [Float], att: [Float], dqkv: [Float]) {
        var out = [Float](repeating: 0, count: batch * length * c)
        var att = [Float](repeating: -1, count: batch * h * length * length)
        var dqkv = [Float](repeating: 0, count: qkv.count)
        var scratch = [Float](repeating: 0, count: CausalSelfAttention.scratchCount(length: length))
        let pp = positions.map { p in UnsafeMutablePointer<Int32>.allocate(capacity: p.count) }
        if let pp, let positions { pp.initialize(from: positions, count: positions.count) }
        defer { pp?.deallocate() }
        out.withUnsafeMutableBufferPointer { op in att.withUnsafeMutableBufferPointer { ap in
            CausalSelfAttention.forward(out: op.baseAddress!, att: ap.baseAddress!, qkv: qkv, positions: pp,
                                        batch: batch, length: length, channels: c, heads: h, rowBlock: rowBlock)
        }}
        dqkv.withUnsafeMutableBufferPointer { dp in scratch.withUnsafeMutableBufferPointer { sp in
            CausalSelfAttention.backward(dqkv: dp.baseAddress!, dout: dout, qkv: qkv, att: att, positions: pp,
                                         scratch: sp.baseAddress!, scratchCapacity: sp.count,
                                         batch: batch, length: length, channels: c, heads: h, rowBlock: rowBlock)
        }}
        return (out, att, dqkv)
    }

    @Test(arguments: [(1, 64), (2, 64), (1, 2), (2, 2)]) func eachSegmentComputesWhatItComputesAlone(threads: Int, rowBlock: Int) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let qkv = GradientCheck.values(2 * t * 3 * c, seed: 31, scale: 2)
        let dout = GradientCheck.values(2 * t * c, seed: 32)
        let packed = run(qkv: qkv, dout: dout, positions: positions, batch: 2, length: t, rowBlock: rowBlock)
        var worst: Float = 0
        for (row, s0, s1) in segments {
            let n = s1 - s0, first = row * t + s0
            let alone = run(qkv: Array(qkv[(first * 3 * c)..<((first + n) * 3 * c)]),
                            dout: Array(dout[(first * c)..<((first + n) * c)]),
                            positions: nil, batch: 1, length: n, rowBlock: rowBlock)
            for i in 0..<(n * c) { worst = max(worst, abs(alone.out[i] - packed.out[first * c + i])) }
            for i in 0..<(n * 3 * c) { worst = max(worst, abs(alone.dqkv[i] - packed.dqkv[first * 3 * c + i])) }
            // A query's probabilities cover its own segment up to itself and nothing else.
            for hi in 0..<h {
                for i in s0..<s1 {
                    let base = ((row * h + hi) * t + i) * t
                    let inside = (s0...i).reduce(Float(0)) { $0 + packed.att[base + $1] }
                    let outside = (0..<t).filter { $0 < s0 || $0 > i }.reduce(Float(0)) { $0 + abs(packed.att[base + $1]) }
                    #expect(abs(inside - 1) < 1e-5 && outside == 0, "row \(row) head \(hi) query \(i)")
                }
            }
        }
        #expect(worst < 1e-6, "largest difference from the segments alone \(worst)")
    }
}
