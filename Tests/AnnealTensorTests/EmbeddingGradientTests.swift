import Testing
@testable import AnnealTensor

/// Embedding adds token and position rows, and backward scatters repeated tokens.
struct EmbeddingGradientTests {
    @Test(arguments: [1, 2]) func forwardAndBackward(threads: Int) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let b = 2, t = 3, c = 4, vocab = 5
        let tokens: [Int32] = [1, 4, 1, 0, 1, 2]
        let wte = GradientCheck.values(vocab * c, seed: 1), wpe = GradientCheck.values(t * c, seed: 2)
        var out = [Float](repeating: 0, count: b * t * c)
        out.withUnsafeMutableBufferPointer {
            Embedding.forward(out: $0.baseAddress!, tokens: tokens, wte: wte, wpe: wpe, batch: b, length: t, channels: c)
        }
        #expect(out[5 * c + 2] == wte[2 * c + 2] + wpe[2 * c + 2])
        let dout = GradientCheck.values(b * t * c, seed: 3)
        var dwte = [Float](repeating: 0, count: vocab * c), dwpe = [Float](repeating: 0, count: t * c)
        dwte.withUnsafeMutableBufferPointer { a in dwpe.withUnsafeMutableBufferPointer { p in
            Embedding.backward(dwte: a.baseAddress!, dwpe: p.baseAddress!, dout: dout, tokens: tokens,
                               batch: b, length: t, channels: c)
        }}
        // Token 1 appears at flat rows 0, 2 and 4.
        #expect(abs(dwte[1 * c + 1] - (dout[0 * c + 1] + dout[2 * c + 1] + dout[4 * c + 1])) < 1e-6)
        #expect(dwte[3 * c] == 0)
        #expect(abs(dwpe[0 * c + 3] - (dout[0 * c + 3] + dout[3 * c + 3])) < 1e-6)
    }
}
