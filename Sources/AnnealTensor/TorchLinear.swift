/// A fully connected layer with the weight stored [out, in] (the PyTorch
/// `nn.Linear` layout of Llama and Qwen2 checkpoints, so files need no
/// transposition): out[rows, out] = inp[rows, in] @ W^T + b.
public enum TorchLinear {
    /// out = inp @ W^T + bias; with `accumulate` the result is added to `out`
    /// (for residual connections).
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               rows: Int, inFeatures: Int, outFeatures: Int, accumulate: Bool = false) {
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
        Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                    a: inp, lda: inFeatures, b: weight, ldb: inFeatures,
                    beta: (bias != nil || accumulate) ? 1 : 0, c: out, ldc: outFeatures)
    }

    /// Backward of `forward`: dinp (+)= dout @ W, dweight += dout^T @ inp,
    /// dbias += column sums of dout. Nil skips a gradient. `ones` holds at
    /// least `rows` ones (the bias sum is a gemv).
    public static func backward(dinp: UnsafeMutablePointer<Float>?, accumulateInput: Bool,
                                dweight: UnsafeMutablePointer<Float>?, dbias: UnsafeMutablePointer<Float>?,
                                dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, ones: UnsafePointer<Float>,
                                rows: Int, inFeatures: Int, outFeatures: Int) {
        if let dinp {
            Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: inFeatures, k: outFeatures,
                        a: dout, lda: outFeatures, b: weight, ldb: inFeatures,
                        beta: accumulateInput ? 1 : 0, c: dinp, ldc: inFeatures)
        }
        if let dweight {
            Matmul.gemm(transposeA: true, transposeB: false, m: outFeatures, n: inFeatures, k: rows,
                        a: dout, lda: outFeatures, b: inp, ldb: inFeatures,
                        beta: 1, c: dweight, ldc: inFeatures)
        }
        if let dbias {
            // The bias gradient does not depend on the weight layout: Linear's, so both sum alike.
            Linear.backward(dinp: nil, accumulateInput: false, dweight: nil, dbias: dbias, dout: dout, inp: inp, weight: weight,
                            ones: ones, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
        }
    }
}
