import AnnealTensor

extension GPT {
    /// Runs the model on tokens [batch, length] (row-major). Without targets
    /// it keeps the logits [batch * length, vocabulary] (see `logits`). With
    /// targets (-1 = no target at that position) it computes the per-token
    /// negative log-likelihood (see `tokenLosses`) for `loss` and `backward`,
    /// turning the logits into probabilities in place (see `probabilities`).
    ///
    /// `positions` ([batch, length], optional) packs several sequences into a
    /// row: each token's position within its sequence, 0 where one starts and
    /// one more than the token before otherwise. A token then attends only to
    /// its own sequence and takes the position embedding of its own position,
    /// so each sequence computes what it would alone in a row of its own.
    /// Without positions every row is one sequence (see `TokenBatch`).
    public func forward(tokens: [Int32], targets: [Int32]? = nil, positions: [Int32]? = nil, batch: Int, length: Int) throws {
        try checkInput(tokens: tokens, targets: targets, batch: batch, length: length)
        try checkPositions(positions, batch: batch, length: length)
        let a = activations(batch: batch, length: length)
        tokens.withUnsafeBufferPointer { a.tokens.update(from: $0.baseAddress!, count: batch * length) }
        a.setPositions(positions)
        if let targets {
            targets.withUnsafeBufferPointer { a.targets.update(from: $0.baseAddress!, count: batch * length) }
        } else {
            a.targets.update(repeating: -1, count: batch * length)
        }
        runTrunk(a)
        let w = parameters.values.pointer, c = config.width, v = config.vocabulary, bt = batch * length
        // logits [BT, V] = lnf [BT, C] wte^T
        timed(.matmul) {
            Matmul.gemm(transposeA: false, transposeB: true, m: bt, n: v, k: c, a: a.lnf, lda: c,
                        b: w + parameters.entry("wte.weight")!.offset, ldb: c, beta: 0, c: a.logits, ldc: v)
        }
        if targets != nil {
            timed(.crossEntropy) {
                SoftmaxCrossEntropy.forward(nll: a.nll, lse: a.lse, logits: a.logits, targets: a.targets, rows: bt, vocabulary: v)
            }
        } else {
            a.nll.update(repeating: 0, count: bt)
        }
        logitsHoldProbabilities = targets != nil
        lastForward = .languageModel
    }

    /// The logits of the last forward without targets, [batch * length, vocabulary]
    /// (empty after a forward with targets, whose buffer holds probabilities).
    public var logits: UnsafeBufferPointer<Float> {
        guard let a = activations, lastForward == .languageModel, !logitsHoldProbabilities else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: a.logits, count: a.batch * a.length * config.vocabulary)
    }

    /// The softmax probabilities of the last forward with targets, [batch * length, vocabulary]
    /// (empty otherwise, and after `backward`, which reuses the buffer for gradients).
    public var probabilities: UnsafeBufferPointer<Float> {
        guard let a = activations, lastForward == .languageModel, logitsHoldProbabilities else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: a.logits, count: a.batch * a.length * config.vocabulary)
    }

    /// -log p(target) per position of the last forward [batch * length] (0 where there is no target).
    public var tokenLosses: UnsafeBufferPointer<Float> {
        guard let a = activations else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: a.nll, count: a.batch * a.length)
    }

    /// Σ weights[i] * tokenLosses[i]: the loss `backward(weights:)` differentiates.
    public func loss(weights: [Float]) -> Float {
        let n = tokenLosses
        var s: Double = 0
        for i in 0..<min(n.count, weights.count) { s += Double(weights[i]) * Double(n[i]) }
        return Float(s)
    }

    /// The mean -log p over positions that have a target.
    public func meanLoss() -> Float {
        guard let a = activations else { return 0 }
        var s: Double = 0, k = 0
        for i in 0..<(a.batch * a.length) where a.targets[i] >= 0 { s += Double(a.nll[i]); k += 1 }
        return k == 0 ? 0 : Float(s / Double(k))
    }

    /// Runs the trunk and the scalar head: one value per position, [batch * length].
    /// Read the value at the position you need (e.g. the last real token).
    @discardableResult
    public func forwardScalar(tokens: [Int32], batch: Int, length: Int) throws -> UnsafeBufferPointer<Float> {
        guard hasScalarHead else {
            throw ModelError.invalidInput("this model has no scalar head; build it with scalarHead: true")
        }
        try checkInput(tokens: tokens, targets: nil, batch: batch, length: length)
        let a = activations(batch: batch, length: length)
        tokens.withUnsafeBufferPointer { a.tokens.update(from: $0.baseAddress!, count: batch * length) }
        a.setPositions(nil)
        runTrunk(a)
        // values [BT] = lnf [BT, C] score^T
        let c = config.width
        Matmul.gemv(transposeA: false, rows: batch * length, columns: c, a: a.lnf, lda: c,
                    x: parameters.pointer("score.weight"), beta: 0, y: a.values)
        lastForward = .scalar
        return UnsafeBufferPointer(start: a.values, count: batch * length)
    }

    /// The scalar-head values at one position per row, e.g. the last real token.
    public func scalars(at positions: [Int]) -> [Float] {
        guard let a = activations else { return [] }
        return positions.enumerated().map { row, t in a.values[row * a.length + t] }
    }

    /// Embedding, blocks and final LayerNorm: fills a.lnf from a.tokens.
    func runTrunk(_ a: GPTActivations) {
        let c = config.width, b = a.batch, t = a.length, bt = b * t
        let w = parameters.values.pointer
        timed(.embedding) {
            Embedding.forward(out: a.encoded, tokens: a.tokens, positions: a.positions, wte: w + parameters.entry("wte.weight")!.offset,
                              wpe: w + parameters.entry("wpe.weight")!.offset, batch: b, length: t, channels: c)
        }
        var residual = a.encoded
        for (l, block) in blocks.enumerated() {
            let act = a.layers[l]
            timed(.layerNorm) {
                LayerNorm.forward(out: act.ln1, mean: act.ln1Mean, rstd: act.ln1Rstd, inp: residual,
                                  weight: w + block.ln1Weight, bias: w + block.ln1Bias, rows: bt, channels: c)
            }
            timed(.matmul) {
                projectionForward(block.qkv, out: act.qkv, inp: act.ln1, rows: bt, accumulate: false, adapter: act.lora[0])
            }
            timed(.attention) {
                CausalSelfAttention.forward(out: act.atty, att: act.att, qkv: act.qkv, positions: a.positions, batch: b, length: t,
                                            channels: c, heads: config.heads)
            }
            timed(.residual) {
                act.res2.update(from: residual, count: bt * c)
            }
            timed(.matmul) {
                projectionForward(block.attentionOutput, out: act.res2, inp: act.atty, rows: bt, accumulate: true,
                                  adapter: act.lora[1])
            }
            timed(.layerNorm) {
                LayerNorm.forward(out: act.ln2, mean: act.ln2Mean, rstd: act.ln2Rstd, inp: act.res2,
                                  weight: w + block.ln2Weight, bias: w + block.ln2Bias, rows: bt, channels: c)
            }
            timed(.matmul) {
                projectionForward(block.mlpInput, out: act.fch, inp: act.ln2, rows: bt, accumulate: false, adapter: act.lora[2])
            }
            timed(.gelu) {
                GELU.forward(out: act.fchGelu, inp: act.fch, tanhOut: act.fchTanh, count: bt * 4 * c)
            }
            timed(.residual) {
                act.res3.update(from: act.res2, count: bt * c)
            }
            timed(.matmul) {
                projectionForward(block.mlpOutput, out: act.res3, inp: act.fchGelu, rows: bt, accumulate: true,
                                  adapter: act.lora[3])
            }
            residual = act.res3
        }
        timed(.layerNorm) {
            LayerNorm.forward(out: a.lnf, mean: a.lnfMean, rstd: a.lnfRstd, inp: residual,
                              weight: parameters.pointer("ln_f.weight"), bias: parameters.pointer("ln_f.bias"),
                              rows: bt, channels: c)
        }
    }
}
