import AnnealTensor

/// One linear projection of a block with its optional LoRA adapter:
/// out (+)= inp W + b + s (drop(inp) A^T) B^T, s = alpha / rank.
extension GPT {
    func projectionForward(_ p: ProjectionLayout, out: UnsafeMutablePointer<Float>, inp: UnsafeMutablePointer<Float>,
                           rows: Int, accumulate: Bool, adapter: GPTActivations.LoRABuffers?) {
        let w = parameters.values.pointer
        Linear.forward(out: out, inp: inp, weight: w + p.weight, bias: w + p.bias, rows: rows,
                       inFeatures: p.inFeatures, outFeatures: p.outFeatures, accumulate: accumulate)
        guard let lora, let a = p.loraA, let b = p.loraB, let adapter else { return }
        var x = UnsafePointer(inp)
        if let dropped = adapter.dropped, let mask = adapter.mask {
            let n = rows * p.inFeatures
            if isTraining {
                let keep = 1 - lora.dropout, scale = 1 / keep
                for i in 0..<n { mask[i] = dropoutGenerator.nextUniform() < keep ? scale : 0 }
            } else {
                mask.update(repeating: 1, count: n)
            }
            for i in 0..<n { dropped[i] = inp[i] * mask[i] }
            x = UnsafePointer(dropped)
        }
        // hidden [rows, r] = x A^T; out += s * hidden B^T
        Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: lora.rank, k: p.inFeatures,
                    a: x, lda: p.inFeatures, b: w + a, ldb: p.inFeatures, beta: 0, c: adapter.hidden, ldc: lora.rank)
        Matmul.gemm(transposeA: false, transposeB: true, m: rows, n: p.outFeatures, k: lora.rank, alpha: lora.scale,
                    a: adapter.hidden, lda: lora.rank, b: w + b, ldb: lora.rank, beta: 1, c: out, ldc: p.outFeatures)
    }

    /// dinp (+)= d/dinp; weight, bias and adapter gradients added when trainable.
    func projectionBackward(_ p: ProjectionLayout, dinp: UnsafeMutablePointer<Float>, accumulateInput: Bool,
                            dout: UnsafeMutablePointer<Float>, inp: UnsafeMutablePointer<Float>, rows: Int,
                            adapter: GPTActivations.LoRABuffers?, acts: GPTActivations) {
        let w = parameters.values.pointer, g = parameters.gradients.pointer
        let entries = parameters.entries
        Linear.backward(dinp: dinp, accumulateInput: accumulateInput,
                        dweight: entries[p.weightEntry].trainable ? g + p.weight : nil,
                        dbias: entries[p.biasEntry].trainable ? g + p.bias : nil,
                        dout: dout, inp: inp, weight: w + p.weight, ones: acts.ones,
                        rows: rows, inFeatures: p.inFeatures, outFeatures: p.outFeatures)
        guard let lora, let a = p.loraA, let b = p.loraB, let adapter else { return }
        let x = UnsafePointer(adapter.dropped ?? inp)
        let r = lora.rank
        let dh = acts.dLoRAHidden
        // dh [rows, r] = s * dout B
        Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: r, k: p.outFeatures, alpha: lora.scale,
                    a: dout, lda: p.outFeatures, b: w + b, ldb: r, beta: 0, c: dh, ldc: r)
        if entries[p.loraBEntry].trainable {
            // dB [out, r] += s * dout^T hidden
            Matmul.gemm(transposeA: true, transposeB: false, m: p.outFeatures, n: r, k: rows, alpha: lora.scale,
                        a: dout, lda: p.outFeatures, b: adapter.hidden, ldb: r, beta: 1, c: g + b, ldc: r)
        }
        if entries[p.loraAEntry].trainable {
            // dA [r, in] += dh^T x
            Matmul.gemm(transposeA: true, transposeB: false, m: r, n: p.inFeatures, k: rows,
                        a: dh, lda: r, b: x, ldb: p.inFeatures, beta: 1, c: g + a, ldc: p.inFeatures)
        }
        // dx = dh A [rows, in], through the dropout mask when there is one.
        if let mask = adapter.mask {
            let dx = acts.dLoRAInput
            Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: p.inFeatures, k: r,
                        a: dh, lda: r, b: w + a, ldb: p.inFeatures, beta: 0, c: dx, ldc: p.inFeatures)
            for i in 0..<(rows * p.inFeatures) { dinp[i] += dx[i] * mask[i] }
        } else {
            Matmul.gemm(transposeA: false, transposeB: false, m: rows, n: p.inFeatures, k: r,
                        a: dh, lda: r, b: w + a, ldb: p.inFeatures, beta: 1, c: dinp, ldc: p.inFeatures)
        }
    }
}
