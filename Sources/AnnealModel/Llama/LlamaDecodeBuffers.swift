import AnnealTensor

/// The KV cache and per-step activations of Llama generation for B sequences
/// and `capacity` positions: keys and values [layers, B, Hkv, capacity, hs]
/// (the cache holds only the Hkv shared heads).
final class LlamaDecodeBuffers {
    let storage: Tensor
    let keys, values, residual, normed, rstd, q, k, v, attention, gate, up, logits, scores: UnsafeMutablePointer<Float>
    let layerCacheCount: Int

    init(config: LlamaConfig, batch b: Int, capacity: Int) {
        let c = config.width, q = config.heads * config.headSize, kv = config.keyValueHeads * config.headSize
        layerCacheCount = b * capacity * kv
        let sizes = [config.layers * layerCacheCount, config.layers * layerCacheCount, b * c, b * c, b, b * q, b * kv, b * kv,
                     b * q, b * config.intermediate, b * config.intermediate, b * config.vocabulary,
                     GroupedQueryAttention.incrementalScratchCount(capacity: capacity)]
        storage = Tensor(shape: [sizes.reduce(0, +)])
        var cursor = storage.pointer
        var p: [UnsafeMutablePointer<Float>] = []
        for n in sizes { p.append(cursor); cursor += n }
        keys = p[0]; values = p[1]; residual = p[2]; normed = p[3]; rstd = p[4]; self.q = p[5]; k = p[6]; v = p[7]
        attention = p[8]; gate = p[9]; up = p[10]; logits = p[11]; scores = p[12]
    }
}
