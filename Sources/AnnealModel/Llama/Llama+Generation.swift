import AnnealTensor

extension Llama {
    /// Autoregressive generation with a KV cache, as `Sampler.generate` for GPT:
    /// greedy, temperature, top-k, top-p, stop tokens, batches of prompts,
    /// seeded. Each step runs one position of every row through the layers.
    public func generate(prompts: [[Int32]], options: SamplingOptions) throws -> [Generation] {
        var buffers: LlamaDecodeBuffers?
        return try GenerationLoop.run(prompts: prompts, options: options, vocabulary: config.vocabulary,
                                      context: config.context) { tokens, position, capacity in
            let s = buffers ?? LlamaDecodeBuffers(config: config, batch: tokens.count, capacity: capacity)
            buffers = s
            decodeStep(tokens: tokens, position: position, capacity: capacity, s)
            return UnsafePointer(s.logits)
        }
    }

    /// One position for every row: fills s.logits [B, V].
    func decodeStep(tokens: [Int32], position: Int, capacity: Int, _ s: LlamaDecodeBuffers) {
        let b = tokens.count, c = config.width, hs = config.headSize, h = config.heads, kvh = config.keyValueHeads
        let eps = Float(config.rmsNormEpsilon)
        let embed = value(embedding)
        for (row, token) in tokens.enumerated() { (s.residual + row * c).update(from: embed + Int(token) * c, count: c) }
        let rowPositions = [Int](repeating: position, count: b)
        ropeCos.withUnsafeBufferPointer { cosines in ropeSin.withUnsafeBufferPointer { sines in
            for (l, layer) in layers.enumerated() {
                RMSNorm.forward(out: s.normed, rstd: s.rstd, inp: s.residual, weight: value(layer.inputNorm), epsilon: eps,
                                rows: b, channels: c)
                project(layer.query, out: s.q, inp: s.normed, rows: b)
                project(layer.key, out: s.k, inp: s.normed, rows: b)
                project(layer.value, out: s.v, inp: s.normed, rows: b)
                RotaryEmbedding.forward(s.q, cos: cosines.baseAddress!, sin: sines.baseAddress!, rowPositions: rowPositions,
                                        heads: h, headSize: hs, rowStride: h * hs)
                RotaryEmbedding.forward(s.k, cos: cosines.baseAddress!, sin: sines.baseAddress!, rowPositions: rowPositions,
                                        heads: kvh, headSize: hs, rowStride: kvh * hs)
                GroupedQueryAttention.incremental(out: s.attention, q: s.q, newKeys: s.k, newValues: s.v,
                                                  keys: s.keys + l * s.layerCacheCount, values: s.values + l * s.layerCacheCount,
                                                  scratch: s.scores, position: position, capacity: capacity, batch: b,
                                                  heads: h, kvHeads: kvh, headSize: hs)
                project(layer.output, out: s.residual, inp: s.attention, rows: b, accumulate: true)
                mlp(layer, inp: s.residual, out: s.residual, normed: s.normed, rstd: s.rstd, gate: s.gate, up: s.up,
                    hidden: s.gate, rows: b)
            }
        }}
        RMSNorm.forward(out: s.normed, rstd: s.rstd, inp: s.residual, weight: value(finalNorm), epsilon: eps, rows: b, channels: c)
        TorchLinear.forward(out: s.logits, inp: s.normed, weight: value(head), bias: nil, rows: b, inFeatures: c,
                            outFeatures: config.vocabulary)
    }
}
