import AnnealTensor

/// A GPT-2-architecture language model with a hand-written backward pass:
/// pre-LayerNorm blocks, learned positions, 4x GELU MLP, tied input/output
/// embeddings, an optional scalar head and optional LoRA adapters.
///
/// Use: `forward(tokens:targets:batch:length:)` then `backward(weights:)`
/// (gradients add up across micro-batches until `parameters.zeroGradients()`),
/// then `AdamW.step`. Activations are allocated once per (batch, length).
public final class GPT {
    public let config: GPTConfig
    /// The adapters, when the model was built with LoRA.
    public let lora: LoRAConfig?
    /// Whether the model has the scalar head `score.weight` [1, C].
    public let hasScalarHead: Bool
    /// All weights by Hugging Face GPT-2 name, with their gradients.
    public let parameters: ParameterStore
    /// Training mode applies LoRA dropout; evaluation and sampling leave it off.
    public var isTraining = false
    /// When set, forward and backward add their wall time per kind of work here.
    public var profile: StepProfile?
    /// The generator LoRA dropout draws from; part of the training state.
    public var dropoutGenerator: SeededGenerator

    var blocks: [BlockLayout] = []
    var activations: GPTActivations?
    /// What the last forward computed, so backward knows which head to differentiate.
    var lastForward: ForwardKind = .none
    /// Whether the logits buffer holds probabilities (a forward with targets).
    var logitsHoldProbabilities = false
    enum ForwardKind { case none, languageModel, scalar }

    /// A freshly initialised model (GPT-2 initialisation: normal(0, 0.02), residual
    /// projections normal(0, 0.02/sqrt(2 layers)), zero biases, unit LayerNorm;
    /// LoRA A uniform(±1/sqrt(in)), B zero). With LoRA every base tensor is
    /// frozen and only the adapters (and the scalar head) train.
    public init(config: GPTConfig, lora: LoRAConfig? = nil, scalarHead: Bool = false, seed: UInt64) throws {
        try config.validate()
        try lora?.validate()
        self.config = config
        self.lora = lora
        self.hasScalarHead = scalarHead
        parameters = ParameterStore(GPT.parameterSpecs(config: config, lora: lora, scalarHead: scalarHead))
        var generator = SeededGenerator(seed: seed)
        dropoutGenerator = SeededGenerator(seed: seed ^ 0xD50F_0D50_F0D5_0F0D)
        blocks = (0..<config.layers).map { blockLayout($0) }
        initialise(&generator)
        if lora != nil {
            parameters.setTrainable(false) { !$0.contains(".lora_") && !$0.hasPrefix("score.") }
        }
    }

    /// The names, shapes and decay flags of every tensor, in buffer order.
    static func parameterSpecs(config: GPTConfig, lora: LoRAConfig?, scalarHead: Bool) -> [(name: String, shape: [Int], decays: Bool)] {
        let c = config.width
        var specs: [(name: String, shape: [Int], decays: Bool)] = [
            ("wte.weight", [config.vocabulary, c], true), ("wpe.weight", [config.context, c], true),
        ]
        for l in 0..<config.layers {
            let p = "h.\(l)."
            specs += [
                (p + "ln_1.weight", [c], false), (p + "ln_1.bias", [c], false),
                (p + "attn.c_attn.weight", [c, 3 * c], true), (p + "attn.c_attn.bias", [3 * c], false),
                (p + "attn.c_proj.weight", [c, c], true), (p + "attn.c_proj.bias", [c], false),
                (p + "ln_2.weight", [c], false), (p + "ln_2.bias", [c], false),
                (p + "mlp.c_fc.weight", [c, 4 * c], true), (p + "mlp.c_fc.bias", [4 * c], false),
                (p + "mlp.c_proj.weight", [4 * c, c], true), (p + "mlp.c_proj.bias", [c], false),
            ]
            if let lora {
                for (target, module, fin, fout) in GPT.projections(c) where lora.targets.contains(target) {
                    specs.append((p + module + ".lora_A.weight", [lora.rank, fin], true))
                    specs.append((p + module + ".lora_B.weight", [fout, lora.rank], true))
                }
            }
        }
        specs += [("ln_f.weight", [c], false), ("ln_f.bias", [c], false)]
        if scalarHead { specs.append(("score.weight", [1, c], true)) }
        return specs
    }

    /// The four projections of a block: LoRA target, module name, in and out features.
    static func projections(_ c: Int) -> [(LoRAConfig.Target, String, Int, Int)] {
        [(.attention, "attn.c_attn", c, 3 * c), (.attentionOutput, "attn.c_proj", c, c),
         (.mlpInput, "mlp.c_fc", c, 4 * c), (.mlpOutput, "mlp.c_proj", 4 * c, c)]
    }

    private func entryIndex(_ name: String) -> Int { parameters.entries.firstIndex { $0.name == name }! }
    private func offset(_ name: String) -> Int { parameters.entry(name)!.offset }

    private func blockLayout(_ l: Int) -> BlockLayout {
        let p = "h.\(l)."
        let projections = GPT.projections(config.width).map { target, module, fin, fout -> ProjectionLayout in
            var layout = ProjectionLayout(weight: offset(p + module + ".weight"), bias: offset(p + module + ".bias"),
                                          weightEntry: entryIndex(p + module + ".weight"),
                                          biasEntry: entryIndex(p + module + ".bias"),
                                          inFeatures: fin, outFeatures: fout)
            if let lora, lora.targets.contains(target) {
                layout.loraA = offset(p + module + ".lora_A.weight")
                layout.loraB = offset(p + module + ".lora_B.weight")
                layout.loraAEntry = entryIndex(p + module + ".lora_A.weight")
                layout.loraBEntry = entryIndex(p + module + ".lora_B.weight")
            }
            return layout
        }
        return BlockLayout(ln1Weight: offset(p + "ln_1.weight"), ln1Bias: offset(p + "ln_1.bias"),
                           ln1Entries: (entryIndex(p + "ln_1.weight"), entryIndex(p + "ln_1.bias")),
                           ln2Weight: offset(p + "ln_2.weight"), ln2Bias: offset(p + "ln_2.bias"),
                           ln2Entries: (entryIndex(p + "ln_2.weight"), entryIndex(p + "ln_2.bias")),
                           qkv: projections[0], attentionOutput: projections[1],
                           mlpInput: projections[2], mlpOutput: projections[3])
    }

    private func initialise(_ generator: inout SeededGenerator) {
        let residualStd = 0.02 / Float(2 * config.layers).squareRoot()
        for e in parameters.entries {
            let p = parameters.values.pointer + e.offset
            let name = e.name
            if name.hasSuffix(".lora_B.weight") || (name.hasSuffix(".bias") && !name.contains("lora")) {
                p.update(repeating: 0, count: e.count)
            } else if name.hasSuffix("ln_1.weight") || name.hasSuffix("ln_2.weight") || name == "ln_f.weight" {
                p.update(repeating: 1, count: e.count)
            } else if name.hasSuffix(".lora_A.weight") {
                let bound = 1 / Float(e.shape[1]).squareRoot()
                for i in 0..<e.count { p[i] = (generator.nextUniform() * 2 - 1) * bound }
            } else {
                let std: Float = name.hasSuffix("c_proj.weight") ? residualStd : 0.02
                for i in 0..<e.count { p[i] = generator.nextNormal() * std }
            }
        }
    }

    /// The activation buffers for a [batch, length] pass, reused while the shape stays.
    func activations(batch: Int, length: Int) -> GPTActivations {
        if let a = activations, a.batch == batch, a.length == length { return a }
        activations = nil
        let a = GPTActivations(config: config, lora: lora, batch: batch, length: length, threads: ComputeThreads.count)
        activations = a
        return a
    }

    /// Releases the activation buffers (they are rebuilt on the next forward).
    public func releaseActivations() { activations = nil }

    /// Bytes of the activation buffers currently held.
    public var activationBytes: Int { activations?.byteCount ?? 0 }

    func checkInput(tokens: [Int32], targets: [Int32]?, batch: Int, length: Int) throws {
        guard batch > 0, length > 0 else { throw ModelError.invalidInput("batch \(batch) and length \(length) must be positive") }
        guard length <= config.context else {
            throw ModelError.invalidInput("sequence length \(length) exceeds the context \(config.context); truncate or pack shorter sequences")
        }
        guard tokens.count == batch * length else {
            throw ModelError.invalidInput("\(tokens.count) tokens for a batch of \(batch) x \(length)")
        }
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= config.vocabulary }) {
            throw ModelError.invalidInput("token id \(bad) is outside the vocabulary of \(config.vocabulary)")
        }
        if let targets {
            guard targets.count == batch * length else {
                throw ModelError.invalidInput("\(targets.count) targets for a batch of \(batch) x \(length)")
            }
            if let bad = targets.first(where: { Int($0) >= config.vocabulary || $0 < -1 }) {
                throw ModelError.invalidInput("target id \(bad) is outside the vocabulary of \(config.vocabulary) (use -1 for no target)")
            }
        }
    }

    /// Positions must restart at 0 at the start of each row and of each packed
    /// sequence, otherwise count up by one, and stay inside the context.
    func checkPositions(_ positions: [Int32]?, batch: Int, length: Int) throws {
        guard let positions else { return }
        guard positions.count == batch * length else {
            throw ModelError.invalidInput("\(positions.count) positions for a batch of \(batch) x \(length)")
        }
        for row in 0..<batch {
            for t in 0..<length {
                let p = positions[row * length + t]
                let previous = t == 0 ? -1 : positions[row * length + t - 1]
                guard p == 0 || p == previous + 1 else {
                    throw ModelError.invalidInput("position \(p) at row \(row), token \(t) must be 0 (a new sequence) or \(previous + 1)")
                }
            }
        }
    }
}

extension GPT {
    /// Runs `body`, adding its wall time to `profile` under `phase` when profiling.
    @inline(__always)
    func timed(_ phase: StepProfile.Phase, _ body: () -> Void) {
        if let profile { profile.time(phase, body) } else { body() }
    }
}
