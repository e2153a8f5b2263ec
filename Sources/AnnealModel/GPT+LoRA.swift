import AnnealTensor

extension GPT {
    /// The base weight [in, out] of `module` in layer `layer` with its adapter
    /// folded in: W + s A^T B^T (W itself when the projection has no adapter).
    func mergedWeight(layer: Int, module: String) -> [Float] {
        let name = "h.\(layer).\(module).weight"
        var merged = parameters.array(name)
        guard let lora, let a = parameters.entry("h.\(layer).\(module).lora_A.weight"),
              let b = parameters.entry("h.\(layer).\(module).lora_B.weight") else { return merged }
        let fin = a.shape[1], fout = b.shape[0]
        merged.withUnsafeMutableBufferPointer { out in
            // [in, out] += s * A^T [in, r] * B^T [r, out]
            Matmul.gemm(transposeA: true, transposeB: true, m: fin, n: fout, k: lora.rank, alpha: lora.scale,
                        a: parameters.values.pointer + a.offset, lda: fin, b: parameters.values.pointer + b.offset,
                        ldb: lora.rank, beta: 1, c: out.baseAddress!, ldc: fout)
        }
        return merged
    }

    /// Folds every adapter into its base weight and zeroes B, so the model
    /// computes the same function with neutral adapters (for export or a new round).
    public func mergeAdapters() {
        guard let lora else { return }
        for l in 0..<config.layers {
            for (target, module, _, _) in GPT.projections(config.width) where lora.targets.contains(target) {
                parameters.set("h.\(l).\(module).weight", mergedWeight(layer: l, module: module))
                let b = parameters.entry("h.\(l).\(module).lora_B.weight")!
                (parameters.values.pointer + b.offset).update(repeating: 0, count: b.count)
            }
        }
    }

    /// The names of the adapter tensors, in buffer order.
    public var adapterNames: [String] { parameters.entries.map(\.name).filter { $0.contains(".lora_") } }
}
