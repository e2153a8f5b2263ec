import AnnealTensor

extension Llama {
    /// Adds to `parameters.gradients` the gradient of Σ weights[i] * tokenLosses[i]
    /// for the last `forward` with targets (weights [batch * length]; 0 masks).
    public func backward(weights: [Float]) throws {
        let a = try activationsForBackward()
        guard weights.count == a.batch * a.length else {
            throw ModelError.invalidInput("\(weights.count) weights for \(a.batch * a.length) positions")
        }
        weights.withUnsafeBufferPointer { a.weights.update(from: $0.baseAddress!, count: weights.count) }
        languageModelBackward(a)
    }

    /// `backward(weights:)` with the same weight at every position that has a target.
    public func backward(uniformWeight: Float) throws {
        let a = try activationsForBackward()
        a.weights.update(repeating: uniformWeight, count: a.batch * a.length)
        languageModelBackward(a)
    }

    private func activationsForBackward() throws -> LlamaActivations {
        guard let a = activations, logitsState == .probabilities else {
            throw ModelError.invalidInput("backward needs a forward with targets first")
        }
        return a
    }

    func languageModelBackward(_ a: LlamaActivations) {
        let b = a.batch, t = a.length, bt = b * t, c = config.width, hs = config.headSize
        let h = config.heads, kvh = config.keyValueHeads
        SoftmaxCrossEntropy.backward(probabilities: a.logits, targets: a.targets, weights: a.weights, rows: bt,
                                     vocabulary: config.vocabulary)
        logitsState = .empty  // the buffer now holds dlogits
        // dnormf = dlogits W; dW += dlogits^T normf
        TorchLinear.backward(dinp: a.dC, accumulateInput: false, dweight: gradient(head), dbias: nil, dout: a.logits,
                             inp: a.normf, weight: value(head), ones: a.ones, rows: bt, inFeatures: c,
                             outFeatures: config.vocabulary)
        let last = layers.isEmpty ? a.encoded : a.layers[layers.count - 1].res3
        RMSNorm.backward(dinp: a.dres, accumulateInput: false, dweight: gradient(finalNorm), dout: a.dC, inp: last,
                         weight: value(finalNorm), rstd: a.rstdf, rows: bt, channels: c)
        ropeCos.withUnsafeBufferPointer { cosines in ropeSin.withUnsafeBufferPointer { sines in
            for l in stride(from: layers.count - 1, through: 0, by: -1) {
                let layer = layers[l], act = a.layers[l]
                let input = l == 0 ? a.encoded : a.layers[l - 1].res3
                // MLP: res3 = res2 + down(silu(gate(n2)) * up(n2)), n2 = rmsnorm(res2)
                projectBackward(layer.down, dinp: a.dHidden, accumulateInput: false, dout: a.dres, inp: act.hidden, a)
                SwiGLU.backward(dgate: a.dGate, dup: a.dUp, dout: a.dHidden, gate: act.gate, up: act.up,
                                count: bt * config.intermediate)
                projectBackward(layer.gate, dinp: a.dC, accumulateInput: false, dout: a.dGate, inp: act.norm2, a)
                projectBackward(layer.up, dinp: a.dC, accumulateInput: true, dout: a.dUp, inp: act.norm2, a)
                RMSNorm.backward(dinp: a.dres, accumulateInput: true, dweight: gradient(layer.postAttentionNorm), dout: a.dC,
                                 inp: act.res2, weight: value(layer.postAttentionNorm), rstd: act.rstd2, rows: bt, channels: c)
                // Attention: res2 = input + o(gqa(rope(q(n1)), rope(k(n1)), v(n1))), n1 = rmsnorm(input)
                projectBackward(layer.output, dinp: a.dAtty, accumulateInput: false, dout: a.dres, inp: act.atty, a)
                GroupedQueryAttention.backward(dq: a.dq, dk: a.dk, dv: a.dv, dout: a.dAtty, q: act.q, k: act.k, v: act.v,
                                               att: act.att, positions: a.positions, scratch: a.attentionScratch,
                                               scratchCapacity: a.attentionScratchCount, batch: b, length: t, heads: h,
                                               kvHeads: kvh, headSize: hs)
                RotaryEmbedding.backward(a.dq, cos: cosines.baseAddress!, sin: sines.baseAddress!, positions: a.positions,
                                         batch: b, length: t, heads: h, headSize: hs, rowStride: h * hs)
                RotaryEmbedding.backward(a.dk, cos: cosines.baseAddress!, sin: sines.baseAddress!, positions: a.positions,
                                         batch: b, length: t, heads: kvh, headSize: hs, rowStride: kvh * hs)
                projectBackward(layer.query, dinp: a.dC, accumulateInput: false, dout: a.dq, inp: act.norm1, a)
                projectBackward(layer.key, dinp: a.dC, accumulateInput: true, dout: a.dk, inp: act.norm1, a)
                projectBackward(layer.value, dinp: a.dC, accumulateInput: true, dout: a.dv, inp: act.norm1, a)
                RMSNorm.backward(dinp: a.dres, accumulateInput: true, dweight: gradient(layer.inputNorm), dout: a.dC,
                                 inp: input, weight: value(layer.inputNorm), rstd: act.rstd1, rows: bt, channels: c)
            }
        }}
        // The token embedding is a gather; its backward adds rows in a fixed order.
        Embedding.backward(dwte: gradient(embedding), dwpe: nil, dout: a.dres, tokens: a.tokens, batch: b, length: t, channels: c)
    }

    func projectBackward(_ p: LlamaProjectionLayout, dinp: UnsafeMutablePointer<Float>, accumulateInput: Bool,
                         dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, _ a: LlamaActivations) {
        TorchLinear.backward(dinp: dinp, accumulateInput: accumulateInput, dweight: gradient(p.weight),
                             dbias: p.bias.flatMap(gradient), dout: dout, inp: inp, weight: value(p.weight), ones: a.ones,
                             rows: a.batch * a.length, inFeatures: p.inFeatures, outFeatures: p.outFeatures)
    }
}
