import AnnealAlignment
import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealTensor
import AnnealText
import Foundation

/// The `dpo` step kind: direct preference optimisation of a policy against a
/// frozen reference (by default the starting policy) on preference pairs,
/// with the sigmoid (DPO, label smoothing), IPO or hinge loss on summed
/// answer log-probabilities, and an optional SFT term on the chosen answers
/// (`rpo_alpha`). The reference's log-probabilities are computed once and
/// cached in the work folder. Full or LoRA; checkpoints and resumes exactly.
public struct DPO: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "dpo",
        version: 2,  // 2: pairs whose chosen answer is the rejected one are left out
        summary: "Align a policy to preference pairs with DPO (sigmoid), IPO or hinge loss against a frozen reference; full or LoRA.",
        schema: Schema([
            Field("model", .file, required: true, doc: "the policy to start from (usually ${sft.model}), with its tokenizer.json"),
            Field("ref_model", .file, doc: "the frozen reference model (default: the starting policy)"),
            Field("beta", .float(min: 0.000001), default: .float(0.1),
                  doc: "strength of the tie to the reference: implicit reward = beta * (log pi - log ref)"),
            Field("loss_type", .enumeration(PreferenceLoss.Kind.allCases.map(\.rawValue)), default: .string("sigmoid"),
                  doc: "sigmoid (DPO), ipo (squared distance to 1/(2 beta)) or hinge (SLiC)"),
            Field("label_smoothing", .float(min: 0, max: 0.5), default: .float(0),
                  doc: "share of pairs assumed flipped (conservative DPO); sigmoid loss only"),
            Field("rpo_alpha", .float(min: 0), default: .float(0),
                  doc: "weight of the mean NLL of the chosen answers added to the loss (0: off), against the chosen log-probability falling"),
        ] + PreferenceExamples.fields + LoRAFields.fields + TrainingHyperparameters.fields(.init(
            batchSize: 8, learningRate: 1e-6, warmupSteps: 0, scheduler: "linear", weightDecay: 0, beta2: 0.999,
            seed: 42, evalInterval: 50, checkpointInterval: 50))),
        outputs: .fixed([
            OutputDeclaration("model", path: "model", shape: .directory,
                              doc: "the aligned policy with tokenizer.json (or the adapter when finetuning_type is lora and merge_lora false)"),
            OutputDeclaration("metrics", path: "metrics.jsonl", shape: .file,
                              doc: "one line per step: loss, rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins, logps/chosen, logps/rejected, learning_rate, grad_norm, tokens_per_second, ms_per_step; eval_* when measured"),
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        InterruptFlag.install()
        ComputeThreads.set(context.cpus)
        let config: Configuration = try configuration(context)
        let preferences: PreferenceSettings = try configuration(context)
        let loraSettings: LoRASettings = try configuration(context)
        let settings: TrainingHyperparameters = try configuration(context)
        let basePath = config.model
        let referencePath = config.refModel ?? basePath
        let tokenizerFile = basePath + "/tokenizer.json"
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerFile))
        let template = try ChatTemplate(tokenizer: tokenizer)
        let lora = try loraSettings.config()
        let keepAdapter = loraSettings.keepsAdapter
        if keepAdapter && StartingModel.isAdapter(basePath) {
            throw StepFailure("\(basePath) is itself an adapter; an adapter on an adapter cannot be saved alone. Set merge_lora: true, or start from a merged model")
        }
        let kind = config.lossType
        let loss = PreferenceLoss(kind: kind, beta: config.beta, labelSmoothing: config.labelSmoothing)
        let rpoAlpha = config.rpoAlpha

        var model: GPT, optimizer: AdamW, state: TrainingState
        if let checkpoint = context.latestCheckpoint() {
            (model, optimizer, state) = try TrainingCheckpoint.load(from: checkpoint)
            print("resuming from \(checkpoint) at step \(state.step)")
        } else {
            model = try StartingModel.load(basePath, lora: lora, seed: settings.seed, scratch: context.workDirectory)
            optimizer = AdamW(parameters: model.parameters, config: settings.optimizer)
            state = TrainingState(step: 0, dataPosition: 0, generatorState: [])
        }
        let maxTokens = min((preferences.maxLength ?? model.config.context) + 1, model.config.context + 1)
        let data = try PreferenceExamples(preferences, template: template, maxTokens: maxTokens, seed: settings.seed)
        let length = max(1, data.longest - 1)
        let batch = settings.batchSize, accumulation = settings.gradientAccumulationSteps
        let pairsPerStep = batch * accumulation
        let reference = try PreferenceLogProbabilities.cached(
            at: context.workDirectory + "/reference-logps.bin",
            reference: { try TrainedModel.load(referencePath).network },
            data.train + data.validation, length: length, batch: batch)
        let referenceTrain = Array(reference[..<data.train.count]), referenceValidation = Array(reference[data.train.count...])

        let epochs = preferences.numTrainEpochs
        let totalSteps = preferences.maxSteps
            ?? max(1, Int((epochs * Double(data.train.count) / Double(pairsPerStep)).rounded(.up)))
        let log = try TrainingLog(context: context, totalSteps: totalSteps, resumedStep: state.step)
        let order = SFTOrder(count: data.train.count, seed: settings.seed)
        print("dpo (\(kind.rawValue), beta \(loss.beta)): \(data.train.count) training and \(data.validation.count) held-out pairs "
              + "(\(data.dropped) longer than \(maxTokens - 1) tokens left out), "
              + "\(model.parameters.trainableCount) of \(model.parameters.values.count) weights train, \(totalSteps) steps, \(TrainingLog.threads)")

        // The loss of a policy equal to its reference (ln 2 for sigmoid), plus
        // the SFT term of a uniform guess; three times that is an explosion.
        let untrained = loss.evaluate(policyChosen: 0, policyRejected: 0, referenceChosen: 0, referenceRejected: 0).loss
            + rpoAlpha * Foundation.log(Double(model.config.vocabulary))
        let divergence = DivergenceCheck(
            step: context.step, limit: 3 * untrained,
            limitReason: "three times \(String(format: "%.4g", untrained)), the loss of the policy equal to its reference"
                + (rpoAlpha > 0 ? " plus rpo_alpha × ln \(model.config.vocabulary)" : ""),
            settings: settings)
        var loop = TrainingLoop(model: model, optimizer: optimizer, state: state, settings: settings, totalSteps: totalSteps,
                                context: context, log: log, divergence: divergence,
                                shown: ["rewards/accuracies", "rewards/margins", "logps/chosen", "eval_rewards/accuracies"])
        func evaluate() throws -> [String: Double]? {
            data.validation.isEmpty ? nil
                : try Self.evaluate(model, data.validation, reference: referenceValidation, loss: loss, length: length, batch: batch)
        }
        var lastEval = try loop.run(evaluatesFirst: false, accumulate: { step in
            let positions = (0..<pairsPerStep).map { order.example(at: step * pairsPerStep + $0) }
            let chosenTokens = positions.reduce(0) { $0 + data.train[$1].chosen.targetCount }
            var figures = PreferenceFigures()
            for m in 0..<accumulation {
                let indices = Array(positions[(m * batch)..<((m + 1) * batch)])
                let sftWeight = rpoAlpha > 0 ? Float(rpoAlpha / Double(max(chosenTokens, 1))) : 0
                try Self.addGradients(model, pairs: indices.map { data.train[$0] }, references: indices.map { referenceTrain[$0] },
                                      loss: loss, pairWeight: 1 / Double(pairsPerStep), sftWeight: sftWeight, length: length,
                                      figures: &figures)
            }
            var row = figures.metrics(prefix: "")
            if rpoAlpha > 0 { row["sft_loss"] = figures.sftLoss / rpoAlpha }
            let tokens = positions.reduce(0) { $0 + data.train[$1].chosen.tokens.count + data.train[$1].rejected.tokens.count }
            return .init(loss: figures.loss / Double(figures.count) + figures.sftLoss, tokens: tokens, figures: row)
        }, evaluate: evaluate, saving: { state in
            state.dataPosition = state.step * pairsPerStep
        })
        if lastEval == nil { lastEval = try evaluate() }

        let output = context.outputPath("model")
        if keepAdapter {
            try LoRAAdapterFiles.save(model, to: output, baseModel: basePath)
            try TrainedModel.copyTokenizer(tokenizerFile, to: output)
        } else {
            try TrainedModel.save(model, tokenizer: tokenizer, tokenizerFile: tokenizerFile, to: output)
        }
        try log.publish(to: context.outputPath("metrics"))
        var summary: [String: Value] = ["steps": .int(totalSteps), "train_pairs": .int(data.train.count),
                                        "validation_pairs": .int(data.validation.count), "dropped_pairs": .int(data.dropped),
                                        "trainable_parameters": .int(model.parameters.trainableCount),
                                        "threads": .int(ComputeThreads.count)]
        for (k, v) in lastEval ?? [:] { summary[k] = .float(v) }
        summary["identical_pairs_dropped"] = .int(data.identical)
        context.record(metrics: summary)
    }

    /// Adds to the model's gradients those of
    /// `pairWeight · Σ_pairs L(π_c, π_r) + sftWeight · Σ_chosen tokens NLL`
    /// with one forward and backward over the pairs' chosen and rejected
    /// rows: ∂L/∂π of a sequence becomes the weight −∂L/∂π on each of its
    /// answer tokens' NLL. The pairs' figures are added to `figures`.
    static func addGradients(_ model: GPT, pairs: [EncodedPreference], references: [(chosen: Float, rejected: Float)],
                             loss: PreferenceLoss, pairWeight: Double, sftWeight: Float, length: Int,
                             figures: inout PreferenceFigures) throws {
        let (_, targets) = try PreferenceLogProbabilities.forward(model, pairs, length: length)
        let sums = PreferenceLogProbabilities.rowSums(model, targets: targets, rows: 2 * pairs.count, length: length)
        var rowWeights = [Float](repeating: 0, count: 2 * pairs.count)
        for (i, ref) in references.enumerated() {
            let r = loss.evaluate(policyChosen: Double(sums[i]), policyRejected: Double(sums[pairs.count + i]),
                                  referenceChosen: Double(ref.chosen), referenceRejected: Double(ref.rejected))
            figures.add(r, chosen: sums[i], rejected: sums[pairs.count + i])
            rowWeights[i] = Float(-r.gradientChosen * pairWeight)
            rowWeights[pairs.count + i] = Float(-r.gradientRejected * pairWeight)
        }
        var weights = [Float](repeating: 0, count: targets.count)
        for row in 0..<(2 * pairs.count) {
            let extra: Float = row < pairs.count ? sftWeight : 0
            for t in 0..<length where targets[row * length + t] >= 0 { weights[row * length + t] = rowWeights[row] + extra }
        }
        if sftWeight > 0 {
            let chosenWeights = weights.indices.map { $0 < pairs.count * length && targets[$0] >= 0 ? sftWeight : 0 }
            figures.sftLoss += Double(model.loss(weights: chosenWeights))
        }
        try model.backward(weights: weights)
    }

    /// The logged figures over held-out pairs, named `eval_…`.
    static func evaluate(_ model: GPT, _ pairs: [EncodedPreference], reference: [(chosen: Float, rejected: Float)],
                         loss: PreferenceLoss, length: Int, batch: Int) throws -> [String: Double] {
        let policy = try PreferenceLogProbabilities.compute(model, pairs, length: length, batch: batch)
        var figures = PreferenceFigures()
        for (p, r) in zip(policy, reference) {
            figures.add(loss.evaluate(policyChosen: Double(p.chosen), policyRejected: Double(p.rejected),
                                      referenceChosen: Double(r.chosen), referenceRejected: Double(r.rejected)),
                        chosen: p.chosen, rejected: p.rejected)
        }
        var out = figures.metrics(prefix: "eval_")
        out["eval_loss"] = figures.loss / Double(max(figures.count, 1))
        return out
    }
}
