import AnnealTensor

/// Every buffer one forward and backward pass of a Llama over [B, T] needs,
/// carved out of one allocation made once per shape.
final class LlamaActivations {
    let batch: Int, length: Int
    let storage: Tensor
    let tokens: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>
    /// Packed positions [BT], or nil when every row is one sequence.
    private(set) var positions: UnsafeMutablePointer<Int32>?
    private let tokenStorage: UnsafeMutablePointer<Int32>

    /// What backward needs of one layer; `input` is the previous layer's output.
    struct Layer {
        var norm1, rstd1, q, k, v, att, atty, res2, norm2, rstd2, gate, up, hidden, res3: UnsafeMutablePointer<Float>
    }

    let encoded: UnsafeMutablePointer<Float>
    let layers: [Layer]
    let normf, rstdf, logits, nll, lse, weights, ones: UnsafeMutablePointer<Float>
    // Backward scratch.
    let dres, dC, dAtty, dq, dk, dv, dGate, dUp, dHidden, attentionScratch: UnsafeMutablePointer<Float>
    let attentionScratchCount: Int

    init(config: LlamaConfig, batch b: Int, length t: Int) {
        batch = b
        length = t
        let bt = b * t, c = config.width, v = config.vocabulary, i = config.intermediate
        let q = config.heads * config.headSize, kv = config.keyValueHeads * config.headSize
        let layerSizes = [bt * c, bt, bt * q, bt * kv, bt * kv, b * config.heads * t * t, bt * q, bt * c, bt * c, bt,
                          bt * i, bt * i, bt * i, bt * c]
        attentionScratchCount = GroupedQueryAttention.scratchCount(length: t)
        let tailSizes = [bt * c, bt, bt * v, bt, bt, bt, bt,
                         bt * c, bt * c, bt * q, bt * q, bt * kv, bt * kv, bt * i, bt * i, bt * i, attentionScratchCount]
        // Each buffer starts 16-float aligned for the vector kernels.
        func rounded(_ n: Int) -> Int { (n + 15) / 16 * 16 }
        let total = rounded(bt * c) + config.layers * layerSizes.map(rounded).reduce(0, +) + tailSizes.map(rounded).reduce(0, +)
        storage = Tensor(shape: [total])
        var cursor = storage.pointer
        func carve(_ n: Int) -> UnsafeMutablePointer<Float> {
            defer { cursor += rounded(n) }
            return cursor
        }
        encoded = carve(bt * c)
        layers = (0..<config.layers).map { _ in
            let p = layerSizes.map(carve)
            return Layer(norm1: p[0], rstd1: p[1], q: p[2], k: p[3], v: p[4], att: p[5], atty: p[6], res2: p[7],
                         norm2: p[8], rstd2: p[9], gate: p[10], up: p[11], hidden: p[12], res3: p[13])
        }
        let p = tailSizes.map(carve)
        normf = p[0]; rstdf = p[1]; logits = p[2]; nll = p[3]; lse = p[4]; weights = p[5]; ones = p[6]
        dres = p[7]; dC = p[8]; dAtty = p[9]; dq = p[10]; dk = p[11]; dv = p[12]; dGate = p[13]; dUp = p[14]; dHidden = p[15]
        attentionScratch = p[16]
        ones.update(repeating: 1, count: bt)
        tokenStorage = .allocate(capacity: 3 * bt)
        tokenStorage.initialize(repeating: 0, count: 3 * bt)
        tokens = tokenStorage
        targets = tokenStorage + bt
    }

    deinit { tokenStorage.deallocate() }

    /// Sets the positions of the next pass (nil: unpacked rows).
    func setPositions(_ values: [Int32]?) {
        guard let values else {
            positions = nil
            return
        }
        let storage = tokenStorage + 2 * batch * length
        values.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: batch * length) }
        positions = storage
    }

    /// Bytes held, for memory reports.
    var byteCount: Int { storage.count * 4 + 12 * batch * length }
}
