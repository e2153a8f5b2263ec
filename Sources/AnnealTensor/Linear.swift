/// A fully connected layer with the weight stored [in, out] (the Hugging Face
/// GPT-2 `Conv1D` layout): out[rows, out] = inp[rows, in] @ W[in, out] + b.
public enum Linear {
    /// out = inp @ W + bias; when `accumulate` is true the product is added to
    /// what `out` already holds (for residual connections) instead.
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               rows: Int, inFeatures: Int, outFeatures: Int,
                               accumulate: Bool = false) {
        if let bias {
            ComputeThreads.forEachChunk(rows: rows, minimumRowsPerChunk: 64) { range in
                for r in range {
                    let o = out + r * outFeatures
                    if accumulate {
                        for j in 0..<outFeatures { o[j] += bias[j] }
                    } else {
                        o.update(from: bias, count: outFeatures)
                    }
                }
            }
        }
        Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: outFeatures, k: inFeatures,
                    a: inp, lda: inFeatures, b: weight, ldb: outFeatures,
                    beta: (bias != nil || accumulate) ? 1 : 0, c: out, ldc: outFeatures)
    }

    /// Backward of `forward`: dinp (+)= dout @ W^T, dweight += inp^T @ dout,
    /// dbias += column sums of dout. Pass nil for gradients not wanted
    /// (frozen weights, or an input that needs no gradient).
    /// `ones` must hold at least `rows` ones (for the bias sum as a gemv).
    public static func backward(dinp: UnsafeMutablePointer<Float>?, accumulateInput: Bool,
                                dweight: UnsafeMutablePointer<Float>?,
                                dbias: UnsafeMutablePointer<Float>?,
                                dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, ones: UnsafePointer<Float>,
                                rows: Int, inFeatures: Int, outFeatures: Int) {
        if let dinp {
            Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: inFeatures, k: outFeatures,
                        a: dout, lda: outFeatures, b: weight, ldb: outFeatures,
                        beta: accumulateInput ? 1 : 0, c: dinp, ldc: inFeatures)
        }
        if let dweight {
            Matmul.gemm(transposeA: true, transposeB: false, m: inFeatures, n: outFeatures, k: rows,
                        a: inp, lda: inFeatures, b: dout, ldb: outFeatures,
                        beta: 1, c: dweight, ldc: outFeatures)
        }
        if let dbias {
            Matmul.gemv(transposeA: true, rows: rows, columns: outFeatures, a: dout, lda: outFeatures,
                        x: ones, beta: 1, y: dbias)
        }
    }
}
