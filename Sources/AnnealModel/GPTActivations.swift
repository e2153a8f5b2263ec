import AnnealTensor

/// Every buffer one forward and backward pass over a [B, T] batch needs,
/// carved out of a single allocation made once per shape, so the training
/// loop allocates nothing.
final class GPTActivations {
    let batch: Int, length: Int
    let storage: Tensor
    let tokens: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    /// Each token's position within its packed segment [BT], or nil when every
    /// row is one sequence; allocated on the first packed pass only.
    private(set) var positions: UnsafeMutablePointer<Int32>?
    private var positionStorage: UnsafeMutablePointer<Int32>?

    struct LoRABuffers {
        /// The adapter input after dropout [BT, in] (nil without dropout: the input itself is used).
        var dropped: UnsafeMutablePointer<Float>?
        /// Dropout scale per input element [BT, in]: 0 or 1/(1-p).
        var mask: UnsafeMutablePointer<Float>?
        /// The rank-sized hidden product x A^T [BT, rank].
        var hidden: UnsafeMutablePointer<Float>
    }

    struct Layer {
        var ln1, ln1Mean, ln1Rstd, qkv, atty, att, res2, ln2, ln2Mean, ln2Rstd, fch, fchGelu, fchTanh, res3: UnsafeMutablePointer<Float>
        /// Adapters per projection, in the order qkv, attention output, mlp input, mlp output.
        var lora: [LoRABuffers?]
    }

    let encoded: UnsafeMutablePointer<Float>
    let layers: [Layer]
    let lnf, lnfMean, lnfRstd: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>
    let nll, lse, values, weights, ones: UnsafeMutablePointer<Float>
    // Backward scratch.
    let dres, dC, d4C, dqkv, dLoRAHidden, dLoRAInput, attentionScratch: UnsafeMutablePointer<Float>
    let attentionScratchCount: Int
    let tokenStorage: UnsafeMutablePointer<Int32>

    init(config: GPTConfig, lora: LoRAConfig?, batch b: Int, length t: Int, threads: Int) {
        batch = b
        length = t
        let c = config.width, bt = b * t, v = config.vocabulary, h = config.heads
        let rank = lora?.rank ?? 0
        let dropout = (lora?.dropout ?? 0) > 0
        let projectionInputs = [c, c, c, 4 * c]
        let targetsInOrder: [LoRAConfig.Target] = [.attention, .attentionOutput, .mlpInput, .mlpOutput]

        // First pass counts, second pass carves: the same closure runs twice.
        var sizes: [Int] = []
        func plan(_ n: Int) { sizes.append((n + 15) / 16 * 16) }
        plan(bt * c)
        for _ in 0..<config.layers {
            for n in [bt * c, bt, bt, bt * 3 * c, bt * c, b * h * t * t, bt * c, bt * c, bt, bt, bt * 4 * c, bt * 4 * c, bt * 4 * c, bt * c] { plan(n) }
            if let lora {
                for (p, target) in targetsInOrder.enumerated() where lora.targets.contains(target) {
                    if dropout { plan(bt * projectionInputs[p]); plan(bt * projectionInputs[p]) }
                    plan(bt * rank)
                }
            }
        }
        let attentionScratchCount = max(1, threads) * t * t
        for n in [bt * c, bt, bt, bt * v, bt, bt, bt, bt, bt, bt * c, bt * c, bt * 4 * c, bt * 3 * c,
                  bt * max(rank, 1), bt * 4 * c, attentionScratchCount] { plan(n) }
        let storage = Tensor(shape: [sizes.reduce(0, +)])
        self.storage = storage
        let base = storage.pointer
        var cursor = 0
        var next = 0
        func carve() -> UnsafeMutablePointer<Float> {
            defer { cursor += sizes[next]; next += 1 }
            return base + cursor
        }
        encoded = carve()
        var builtLayers: [Layer] = []
        for _ in 0..<config.layers {
            var layer = Layer(ln1: carve(), ln1Mean: carve(), ln1Rstd: carve(), qkv: carve(), atty: carve(), att: carve(),
                              res2: carve(), ln2: carve(), ln2Mean: carve(), ln2Rstd: carve(), fch: carve(),
                              fchGelu: carve(), fchTanh: carve(), res3: carve(), lora: [nil, nil, nil, nil])
            if let lora {
                for (p, target) in targetsInOrder.enumerated() where lora.targets.contains(target) {
                    var dropped: UnsafeMutablePointer<Float>? = nil, mask: UnsafeMutablePointer<Float>? = nil
                    if dropout { dropped = carve(); mask = carve() }
                    layer.lora[p] = LoRABuffers(dropped: dropped, mask: mask, hidden: carve())
                }
            }
            builtLayers.append(layer)
        }
        layers = builtLayers
        lnf = carve(); lnfMean = carve(); lnfRstd = carve(); logits = carve()
        nll = carve(); lse = carve(); values = carve(); weights = carve(); ones = carve()
        dres = carve(); dC = carve(); d4C = carve(); dqkv = carve(); dLoRAHidden = carve(); dLoRAInput = carve()
        attentionScratch = carve()
        self.attentionScratchCount = attentionScratchCount
        ones.update(repeating: 1, count: bt)
        tokenStorage = .allocate(capacity: 2 * bt)
        tokenStorage.initialize(repeating: 0, count: 2 * bt)
        tokens = tokenStorage
        targets = tokenStorage + bt
    }

    deinit {
        tokenStorage.deallocate()
        positionStorage?.deallocate()
    }

    /// Sets the positions of the next pass (nil: unpacked rows).
    func setPositions(_ values: [Int32]?) {
        guard let values else {
            positions = nil
            return
        }
        let bt = batch * length
        if positionStorage == nil { positionStorage = .allocate(capacity: bt) }
        values.withUnsafeBufferPointer { positionStorage!.initialize(from: $0.baseAddress!, count: bt) }
        positions = positionStorage
    }

    /// Bytes held, for memory reports.
    var byteCount: Int { storage.count * 4 + 8 * batch * length + (positionStorage == nil ? 0 : 4 * batch * length) }
}
