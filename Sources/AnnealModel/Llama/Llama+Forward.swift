import AnnealTensor

extension Llama {
    /// Runs the model on tokens [batch, length]. Without targets it keeps the
    /// logits [batch * length, vocabulary] (see `logits`); with targets (-1 = no
    /// target) it computes `tokenLosses` for `loss` and `backward`, turning the
    /// logits into probabilities in place. `positions` packs sequences into a
    /// row as for GPT: each token attends within its own sequence and is rotated
    /// by its position in that sequence.
    public func forward(tokens: [Int32], targets: [Int32]? = nil, positions: [Int32]? = nil, batch: Int, length: Int) throws {
        try checkInput(tokens: tokens, targets: targets, positions: positions, batch: batch, length: length)
        let a = activations(batch: batch, length: length)
        let bt = batch * length, v = config.vocabulary
        tokens.withUnsafeBufferPointer { a.tokens.update(from: $0.baseAddress!, count: bt) }
        if let targets {
            targets.withUnsafeBufferPointer { a.targets.update(from: $0.baseAddress!, count: bt) }
        } else {
            a.targets.update(repeating: -1, count: bt)
        }
        a.setPositions(positions)
        runTrunk(a)
        TorchLinear.forward(out: a.logits, inp: a.normf, weight: value(head), bias: nil, rows: bt,
                            inFeatures: config.width, outFeatures: v)
        if targets != nil {
            SoftmaxCrossEntropy.forward(nll: a.nll, lse: a.lse, logits: a.logits, targets: a.targets, rows: bt, vocabulary: v)
            logitsState = .probabilities
        } else {
            a.nll.update(repeating: 0, count: bt)
            logitsState = .logits
        }
    }

    /// The logits of the last forward without targets, [batch * length, vocabulary].
    public var logits: UnsafeBufferPointer<Float> {
        guard let a = activations, logitsState == .logits else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: a.logits, count: a.batch * a.length * config.vocabulary)
    }

    /// The softmax probabilities of the last forward with targets, [batch * length, vocabulary]
    /// (empty otherwise, and after `backward`, which reuses the buffer for gradients).
    public var probabilities: UnsafeBufferPointer<Float> {
        guard let a = activations, logitsState == .probabilities else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: a.logits, count: a.batch * a.length * config.vocabulary)
    }

    /// -log p(target) per position of the last forward [batch * length] (0 where there is no target).
    public var tokenLosses: UnsafeBufferPointer<Float> {
        guard let a = activations else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: a.nll, count: a.batch * a.length)
    }

    /// The mean -log p over positions that have a target.
    public func meanLoss() -> Float {
        guard let a = activations else { return 0 }
        var s: Double = 0, k = 0
        for i in 0..<(a.batch * a.length) where a.targets[i] >= 0 { s += Double(a.nll[i]); k += 1 }
        return k == 0 ? 0 : Float(s / Double(k))
    }

    /// Embedding, layers and the final RMSNorm: fills a.normf from a.tokens.
    func runTrunk(_ a: LlamaActivations) {
        let b = a.batch, t = a.length, bt = b * t, c = config.width, hs = config.headSize
        let h = config.heads, kvh = config.keyValueHeads, eps = Float(config.rmsNormEpsilon)
        let embed = value(embedding)
        ComputeThreads.forEachChunk(rows: bt, minimumRowsPerChunk: 64) { range in
            for r in range { (a.encoded + r * c).update(from: embed + Int(a.tokens[r]) * c, count: c) }
        }
        var residual = a.encoded
        ropeCos.withUnsafeBufferPointer { cosines in ropeSin.withUnsafeBufferPointer { sines in
            for (l, layer) in layers.enumerated() {
                let act = a.layers[l]
                RMSNorm.forward(out: act.norm1, rstd: act.rstd1, inp: residual, weight: value(layer.inputNorm), epsilon: eps,
                                rows: bt, channels: c)
                project(layer.query, out: act.q, inp: act.norm1, rows: bt)
                project(layer.key, out: act.k, inp: act.norm1, rows: bt)
                project(layer.value, out: act.v, inp: act.norm1, rows: bt)
                RotaryEmbedding.forward(act.q, cos: cosines.baseAddress!, sin: sines.baseAddress!, positions: a.positions,
                                        batch: b, length: t, heads: h, headSize: hs, rowStride: h * hs)
                RotaryEmbedding.forward(act.k, cos: cosines.baseAddress!, sin: sines.baseAddress!, positions: a.positions,
                                        batch: b, length: t, heads: kvh, headSize: hs, rowStride: kvh * hs)
                GroupedQueryAttention.forward(out: act.atty, att: act.att, q: act.q, k: act.k, v: act.v, positions: a.positions,
                                              batch: b, length: t, heads: h, kvHeads: kvh, headSize: hs)
                act.res2.update(from: residual, count: bt * c)
                project(layer.output, out: act.res2, inp: act.atty, rows: bt, accumulate: true)
                mlp(layer, inp: act.res2, out: act.res3, normed: act.norm2, rstd: act.rstd2, gate: act.gate, up: act.up,
                    hidden: act.hidden, rows: bt)
                residual = act.res3
            }
        }}
        RMSNorm.forward(out: a.normf, rstd: a.rstdf, inp: residual, weight: value(finalNorm), epsilon: eps, rows: bt, channels: c)
    }

    /// The MLP half of a layer: out = inp + down(silu(gate(n)) * up(n)), n = rmsnorm(inp).
    /// out may be inp (updated in place), hidden may be gate.
    func mlp(_ layer: LlamaLayerLayout, inp: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
             normed: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>, gate: UnsafeMutablePointer<Float>,
             up: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>, rows: Int) {
        RMSNorm.forward(out: normed, rstd: rstd, inp: inp, weight: value(layer.postAttentionNorm),
                        epsilon: Float(config.rmsNormEpsilon), rows: rows, channels: config.width)
        project(layer.gate, out: gate, inp: normed, rows: rows)
        project(layer.up, out: up, inp: normed, rows: rows)
        SwiGLU.forward(out: hidden, gate: gate, up: up, count: rows * config.intermediate)
        if out != inp { out.update(from: inp, count: rows * config.width) }
        project(layer.down, out: out, inp: hidden, rows: rows, accumulate: true)
    }

    /// out (+)= inp W^T + b for one projection.
    func project(_ p: LlamaProjectionLayout, out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, rows: Int,
                 accumulate: Bool = false) {
        TorchLinear.forward(out: out, inp: inp, weight: value(p.weight), bias: p.bias.map(value), rows: rows,
                            inFeatures: p.inFeatures, outFeatures: p.outFeatures, accumulate: accumulate)
    }
}
