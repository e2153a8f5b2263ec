import AnnealTensor

/// The KV cache and the per-step activations of `Sampler`, for B sequences
/// and `capacity` positions: keys and values [layers, B, H, capacity, hs].
final class DecodeBuffers {
    let storage: Tensor
    let keys, values, residual, normed, mean, rstd, qkv, attention, hidden, logits, scores, loraHidden: UnsafeMutablePointer<Float>
    let layerCacheCount: Int
    let adapter: GPTActivations.LoRABuffers?

    init(config: GPTConfig, lora: LoRAConfig?, batch b: Int, capacity: Int) {
        let c = config.width
        layerCacheCount = b * capacity * c
        let sizes = [config.layers * layerCacheCount, config.layers * layerCacheCount, b * c, b * c, b, b, b * 3 * c, b * c,
                     b * 4 * c, b * config.vocabulary, IncrementalAttention.scratchCount(capacity: capacity), b * max(lora?.rank ?? 1, 1)]
        let storage = Tensor(shape: [sizes.reduce(0, +)])
        self.storage = storage
        var cursor = storage.pointer
        var pointers: [UnsafeMutablePointer<Float>] = []
        for n in sizes { pointers.append(cursor); cursor += n }
        keys = pointers[0]; values = pointers[1]; residual = pointers[2]; normed = pointers[3]; mean = pointers[4]
        rstd = pointers[5]; qkv = pointers[6]; attention = pointers[7]; hidden = pointers[8]; logits = pointers[9]
        scores = pointers[10]; loraHidden = pointers[11]
        adapter = lora == nil ? nil : GPTActivations.LoRABuffers(dropped: nil, mask: nil, hidden: loraHidden)
    }
}
