import AnnealTensor

extension GPT {
    /// Adds to `parameters.gradients` the gradient of Σ weights[i] * tokenLosses[i]
    /// for the last `forward` (with targets). Weights of 0 mask positions; to
    /// average over N target tokens across micro-batches pass 1/N at each target.
    /// DPO and PPO pass their per-token coefficients here (the gradient of
    /// a log-probability is minus that of the loss).
    public func backward(weights: [Float]) throws {
        guard let a = activations, lastForward == .languageModel, logitsHoldProbabilities else {
            throw ModelError.invalidInput("backward needs a language-model forward with targets first")
        }
        guard weights.count == a.batch * a.length else {
            throw ModelError.invalidInput("\(weights.count) weights for \(a.batch * a.length) positions")
        }
        weights.withUnsafeBufferPointer { a.weights.update(from: $0.baseAddress!, count: weights.count) }
        languageModelBackward(a)
    }

    /// `backward(weights:)` with the same weight at every position that has a target.
    public func backward(uniformWeight: Float) throws {
        guard let a = activations, lastForward == .languageModel, logitsHoldProbabilities else {
            throw ModelError.invalidInput("backward needs a language-model forward with targets first")
        }
        a.weights.update(repeating: uniformWeight, count: a.batch * a.length)
        languageModelBackward(a)
    }

    /// Adds the gradient of Σ gradients[i] * value[i] for the last `forwardScalar`;
    /// `gradients` has one entry per position ([batch * length], zero where unused).
    public func backwardScalar(gradients dvalues: [Float]) throws {
        guard let a = activations, lastForward == .scalar else {
            throw ModelError.invalidInput("backwardScalar needs forwardScalar first")
        }
        let bt = a.batch * a.length, c = config.width
        guard dvalues.count == bt else { throw ModelError.invalidInput("\(dvalues.count) value gradients for \(bt) positions") }
        let score = parameters.pointer("score.weight")
        // dlnf [BT, C] = dvalues [BT, 1] score [1, C]; dscore += dvalues^T lnf
        dvalues.withUnsafeBufferPointer { dv in
            timed(.matmul) {
                Matmul.gemm(transposeA: false, transposeB: false, m: bt, n: c, k: 1, a: dv.baseAddress!, lda: 1,
                            b: score, ldb: c, beta: 0, c: a.dC, ldc: c)
            }
            if let dscore = parameters.gradient("score.weight") {
                Matmul.gemv(transposeA: true, rows: bt, columns: c, a: a.lnf, lda: c, x: dv.baseAddress!, beta: 1, y: dscore)
            }
        }
        trunkBackward(a)
    }

    /// The scalar-head gradient at one position per row.
    public func backwardScalar(at positions: [Int], gradients: [Float]) throws {
        guard let a = activations else { throw ModelError.invalidInput("backwardScalar needs forwardScalar first") }
        guard positions.count == a.batch, gradients.count == a.batch else {
            throw ModelError.invalidInput("need one position and one gradient per row (\(a.batch))")
        }
        var dense = [Float](repeating: 0, count: a.batch * a.length)
        for (row, t) in positions.enumerated() {
            guard (0..<a.length).contains(t) else { throw ModelError.invalidInput("position \(t) outside length \(a.length)") }
            dense[row * a.length + t] = gradients[row]
        }
        try backwardScalar(gradients: dense)
    }

    func languageModelBackward(_ a: GPTActivations) {
        let bt = a.batch * a.length, c = config.width, v = config.vocabulary
        timed(.crossEntropy) {
            SoftmaxCrossEntropy.backward(probabilities: a.logits, targets: a.targets, weights: a.weights,
                                         rows: bt, vocabulary: v)
        }
        let wte = parameters.pointer("wte.weight")
        // dlnf [BT, C] = dlogits [BT, V] wte [V, C]; dwte += dlogits^T lnf
        timed(.matmul) {
            Matmul.gemm(transposeA: false, transposeB: false, m: bt, n: c, k: v, a: a.logits, lda: v,
                        b: wte, ldb: c, beta: 0, c: a.dC, ldc: c)
        }
        if let dwte = parameters.gradient("wte.weight") {
            timed(.matmul) {
                Matmul.gemm(transposeA: true, transposeB: false, m: v, n: c, k: bt, a: a.logits, lda: v,
                            b: a.lnf, ldb: c, beta: 1, c: dwte, ldc: c)
            }
        }
        lastForward = .none  // the logits now hold gradients
        trunkBackward(a)
    }

    /// From dlnf in a.dC back to the embeddings.
    func trunkBackward(_ a: GPTActivations) {
        let b = a.batch, t = a.length, bt = b * t, c = config.width
        let w = parameters.values.pointer, g = parameters.gradients.pointer
        let entries = parameters.entries
        func grad(_ entry: Int, _ offset: Int) -> UnsafeMutablePointer<Float>? { entries[entry].trainable ? g + offset : nil }
        let last = config.layers > 0 ? a.layers[config.layers - 1].res3 : a.encoded
        timed(.layerNorm) {
            LayerNorm.backward(dinp: a.dres, accumulateInput: false, dweight: parameters.gradient("ln_f.weight"),
                               dbias: parameters.gradient("ln_f.bias"), dout: a.dC, inp: last,
                               weight: parameters.pointer("ln_f.weight"), mean: a.lnfMean, rstd: a.lnfRstd,
                               rows: bt, channels: c)
        }
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            let block = blocks[l], act = a.layers[l]
            let input = l == 0 ? a.encoded : a.layers[l - 1].res3
            // MLP: res3 = res2 + proj(gelu(fc(ln2(res2))))
            timed(.matmul) {
                projectionBackward(block.mlpOutput, dinp: a.d4C, accumulateInput: false, dout: a.dres, inp: act.fchGelu,
                                   rows: bt, adapter: act.lora[3], acts: a)
            }
            timed(.gelu) {
                GELU.backward(grad: a.d4C, inp: act.fch, tanh: act.fchTanh, count: bt * 4 * c)
            }
            timed(.matmul) {
                projectionBackward(block.mlpInput, dinp: a.dC, accumulateInput: false, dout: a.d4C, inp: act.ln2,
                                   rows: bt, adapter: act.lora[2], acts: a)
            }
            timed(.layerNorm) {
                LayerNorm.backward(dinp: a.dres, accumulateInput: true, dweight: grad(block.ln2Entries.0, block.ln2Weight),
                                   dbias: grad(block.ln2Entries.1, block.ln2Bias), dout: a.dC, inp: act.res2,
                                   weight: w + block.ln2Weight, mean: act.ln2Mean, rstd: act.ln2Rstd, rows: bt, channels: c)
            }
            // Attention: res2 = input + proj(attn(qkv(ln1(input))))
            timed(.matmul) {
                projectionBackward(block.attentionOutput, dinp: a.dC, accumulateInput: false, dout: a.dres, inp: act.atty,
                                   rows: bt, adapter: act.lora[1], acts: a)
            }
            timed(.attention) {
                CausalSelfAttention.backward(dqkv: a.dqkv, dout: a.dC, qkv: act.qkv, att: act.att, positions: a.positions,
                                             scratch: a.attentionScratch, scratchCapacity: a.attentionScratchCount,
                                             batch: b, length: t, channels: c, heads: config.heads)
            }
            timed(.matmul) {
                projectionBackward(block.qkv, dinp: a.dC, accumulateInput: false, dout: a.dqkv, inp: act.ln1,
                                   rows: bt, adapter: act.lora[0], acts: a)
            }
            timed(.layerNorm) {
                LayerNorm.backward(dinp: a.dres, accumulateInput: true, dweight: grad(block.ln1Entries.0, block.ln1Weight),
                                   dbias: grad(block.ln1Entries.1, block.ln1Bias), dout: a.dC, inp: input,
                                   weight: w + block.ln1Weight, mean: act.ln1Mean, rstd: act.ln1Rstd, rows: bt, channels: c)
            }
        }
        timed(.embedding) {
            Embedding.backward(dwte: parameters.gradient("wte.weight"), dwpe: parameters.gradient("wpe.weight"),
                               dout: a.dres, tokens: a.tokens, positions: a.positions, batch: b, length: t, channels: c)
        }
    }
}
