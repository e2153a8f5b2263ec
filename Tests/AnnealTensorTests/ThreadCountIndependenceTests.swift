import Testing
@testable import AnnealTensor

/// Every kernel gives the same bytes on 1, 2 and 3 threads. The products are
/// large enough to be cut into several blocks (OpenBLAS's own threading, and
/// blocks cut by the thread count, both change the bytes), with tails, every
/// transpose pair, padded leading dimensions, small and unit K; LayerNorm's
/// weight sums span several parts.
struct ThreadCountIndependenceTests {
    static let threadCounts = [1, 2, 3]

    /// Runs `body` on each thread count and returns the bit patterns it produced.
    static func bytes(_ body: () -> [Float]) -> [[UInt32]] {
        threadCounts.map { threads in
            ComputeThreads.set(threads)
            defer { ComputeThreads.set(1) }
            return body().map(\.bitPattern)
        }
    }

    struct Product: CustomTestStringConvertible, Sendable {
        let transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, beta: Float
        var testDescription: String { "\(transposeA ? "T" : "N")\(transposeB ? "T" : "N") \(m)x\(n)x\(k) beta \(beta)" }
    }

    static let products = [
        Product(transposeA: false, transposeB: false, m: 257, n: 96, k: 40, beta: 1),   // rows, ragged last block
        Product(transposeA: false, transposeB: true, m: 33, n: 600, k: 50, beta: 0),    // columns of a transposed B
        Product(transposeA: true, transposeB: false, m: 96, n: 200, k: 130, beta: 1),   // weight-gradient shape, odd block count
        Product(transposeA: true, transposeB: true, m: 130, n: 70, k: 100, beta: 0),
        Product(transposeA: false, transposeB: false, m: 1000, n: 300, k: 3, beta: 1),  // small K
        Product(transposeA: false, transposeB: false, m: 4096, n: 384, k: 1, beta: 0),  // K = 1 (the scalar head)
    ]

    @Test(arguments: products) func matmulBytesDoNotDependOnTheThreadCount(_ p: Product) {
        let rowsA = p.transposeA ? p.k : p.m, columnsA = p.transposeA ? p.m : p.k
        let rowsB = p.transposeB ? p.n : p.k, columnsB = p.transposeB ? p.k : p.n
        // Leading dimensions wider than the matrices, as the attention's views into qkv.
        let lda = columnsA + 3, ldb = columnsB + 5, ldc = p.n + 2
        let a = GradientCheck.values(rowsA * lda, seed: 1), b = GradientCheck.values(rowsB * ldb, seed: 2)
        let c0 = GradientCheck.values(p.m * ldc, seed: 3)
        #expect(Matmul.blocks(m: p.m, n: p.n, k: p.k).count > 1, "the product must be cut to test anything")
        let runs = Self.bytes {
            var c = c0
            c.withUnsafeMutableBufferPointer {
                Matmul.gemm(transposeA: p.transposeA, transposeB: p.transposeB, m: p.m, n: p.n, k: p.k, alpha: 0.5,
                            a: a, lda: lda, b: b, ldb: ldb, beta: p.beta, c: $0.baseAddress!, ldc: ldc)
            }
            return c
        }
        #expect(runs[1] == runs[0] && runs[2] == runs[0])
        // Each block lands where it belongs: compare with a direct sum.
        var worst = 0.0
        for i in 0..<p.m { for j in 0..<ldc {
            var expected = Double(c0[i * ldc + j])
            if j < p.n {
                var s = 0.0
                for l in 0..<p.k {
                    let x = p.transposeA ? a[l * lda + i] : a[i * lda + l]
                    let y = p.transposeB ? b[j * ldb + l] : b[l * ldb + j]
                    s += Double(x) * Double(y)
                }
                expected = 0.5 * s + Double(p.beta) * expected
            }
            worst = max(worst, abs(Double(Float(bitPattern: runs[0][i * ldc + j])) - expected))
        }}
        #expect(worst < 1e-4, "largest difference from the direct sum \(worst)")
    }

    @Test func gemvBytesDoNotDependOnTheThreadCount() {
        // The bias-gradient shape: a sum over 2048 rows (OpenBLAS's threaded sgemv differs at 3 threads).
        let rows = 2048, columns = 256
        let a = GradientCheck.values(rows * columns, seed: 4), x = GradientCheck.values(rows, seed: 5)
        let runs = Self.bytes {
            var y = GradientCheck.values(columns, seed: 6)
            y.withUnsafeMutableBufferPointer {
                Matmul.gemv(transposeA: true, rows: rows, columns: columns, a: a, lda: columns, x: x, beta: 1, y: $0.baseAddress!)
            }
            return y
        }
        #expect(runs[1] == runs[0] && runs[2] == runs[0])
    }

    @Test func layerNormBackwardBytesDoNotDependOnTheThreadCount() {
        let rows = 333, c = 24
        #expect(min(LayerNorm.maximumParts, rows / LayerNorm.rowsPerPart) > 3)
        let x = GradientCheck.values(rows * c, seed: 7, scale: 2), dout = GradientCheck.values(rows * c, seed: 8)
        let w = GradientCheck.values(c, seed: 9).map { $0 + 1 }, bias = GradientCheck.values(c, seed: 10)
        var out = [Float](repeating: 0, count: rows * c), mean = [Float](repeating: 0, count: rows), rstd = mean
        LayerNorm.forward(out: &out, mean: &mean, rstd: &rstd, inp: x, weight: w, bias: bias, rows: rows, channels: c)
        let runs = Self.bytes {
            var dx = [Float](repeating: 0, count: rows * c), dw = [Float](repeating: 0, count: c), db = dw
            LayerNorm.backward(dinp: &dx, accumulateInput: false, dweight: &dw, dbias: &db, dout: dout, inp: x,
                               weight: w, mean: mean, rstd: rstd, rows: rows, channels: c)
            return dx + dw + db
        }
        #expect(runs[1] == runs[0] && runs[2] == runs[0])
    }

    @Test func attentionBytesDoNotDependOnTheThreadCount() {
        let b = 3, t = 40, c = 16, h = 2
        let qkv = GradientCheck.values(b * t * 3 * c, seed: 11, scale: 2), dout = GradientCheck.values(b * t * c, seed: 12)
        let runs = Self.bytes {
            var out = [Float](repeating: 0, count: b * t * c), att = [Float](repeating: 0, count: b * h * t * t)
            var dqkv = [Float](repeating: 0, count: qkv.count)
            var scratch = [Float](repeating: 0, count: CausalSelfAttention.scratchCount(length: t))
            CausalSelfAttention.forward(out: &out, att: &att, qkv: qkv, batch: b, length: t, channels: c, heads: h, rowBlock: 16)
            scratch.withUnsafeMutableBufferPointer { s in
                CausalSelfAttention.backward(dqkv: &dqkv, dout: dout, qkv: qkv, att: att, scratch: s.baseAddress!,
                                             scratchCapacity: s.count, batch: b, length: t, channels: c, heads: h, rowBlock: 16)
            }
            return out + dqkv
        }
        #expect(runs[1] == runs[0] && runs[2] == runs[0])
    }

    @Test func embeddingBackwardBytesDoNotDependOnTheThreadCount() {
        let b = 4, t = 50, c = 64, vocabulary = 7  // few tokens, so rows pile up on each
        let tokens = (0..<(b * t)).map { Int32($0 * 5 % vocabulary) }, dout = GradientCheck.values(b * t * c, seed: 13)
        let runs = Self.bytes {
            var dwte = [Float](repeating: 0, count: vocabulary * c), dwpe = [Float](repeating: 0, count: t * c)
            Embedding.backward(dwte: &dwte, dwpe: &dwpe, dout: dout, tokens: tokens, batch: b, length: t, channels: c)
            return dwte + dwpe
        }
        #expect(runs[1] == runs[0] && runs[2] == runs[0])
    }
}
