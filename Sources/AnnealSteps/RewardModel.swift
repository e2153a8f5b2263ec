import AnnealAlignment
import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealTensor
import AnnealText
import Foundation

/// The `reward-model` step kind: a model with a scalar head read at the last
/// token of prompt + answer, trained on preference pairs with the
/// Bradley–Terry loss `−log σ(r_c − r_r − margin)` (plus optional reward
/// centring). Reports held-out accuracy (share of pairs with `r_c > r_r`) and
/// mean margin. Checkpoints and resumes exactly like `sft`.
public struct RewardModel: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "reward-model",
        version: 2,  // 2: pairs whose chosen answer is the rejected one are left out
        summary: "Train a reward model (scalar head) on preference pairs with the Bradley-Terry loss.",
        schema: Schema([
            Field("model", .file, required: true, doc: "the model folder to start from (usually ${sft.model}), with its tokenizer.json"),
        ] + PreferenceExamples.fields + [
            Field("center_rewards_coefficient", .float(min: 0), default: .float(0),
                  doc: "weight of (r_c + r_r)^2 in the loss, which keeps rewards near zero (0: off)"),
        ] + TrainingHyperparameters.fields(.init(
            batchSize: 8, learningRate: 1e-5, warmupSteps: 0, scheduler: "linear", weightDecay: 0, beta2: 0.999,
            seed: 42, evalInterval: 50, checkpointInterval: 50))),
        outputs: .fixed([
            OutputDeclaration("model", path: "model", shape: .directory,
                              doc: "the reward model: weights with the scalar head `score`, config.json and tokenizer.json"),
            OutputDeclaration("metrics", path: "metrics.jsonl", shape: .file,
                              doc: "one line per step: loss, accuracy, margin, learning_rate, grad_norm, tokens_per_second, ms_per_step; eval_* when measured"),
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        InterruptFlag.install()
        ComputeThreads.set(context.cpus)
        let config: Configuration = try configuration(context)
        let preferences: PreferenceSettings = try configuration(context)
        let settings: TrainingHyperparameters = try configuration(context)
        let basePath = config.model
        let tokenizerFile = basePath + "/tokenizer.json"
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerFile))
        let template = try ChatTemplate(tokenizer: tokenizer)
        let loss = BradleyTerryLoss(centeringCoefficient: config.centerRewardsCoefficient)

        var model: GPT, optimizer: AdamW, state: TrainingState
        if let checkpoint = context.latestCheckpoint() {
            (model, optimizer, state) = try TrainingCheckpoint.load(from: checkpoint)
            print("resuming from \(checkpoint) at step \(state.step)")
        } else {
            let start = try StartingModel.load(basePath, lora: nil, seed: settings.seed, scratch: context.workDirectory)
            model = try Self.withScalarHead(start, seed: settings.seed)
            optimizer = AdamW(parameters: model.parameters, config: settings.optimizer)
            state = TrainingState(step: 0, dataPosition: 0, generatorState: [])
        }
        let maxTokens = min(preferences.maxLength ?? model.config.context, model.config.context)
        let data = try PreferenceExamples(preferences, template: template, maxTokens: maxTokens, seed: settings.seed)
        let length = data.longest
        let batch = settings.batchSize, accumulation = settings.gradientAccumulationSteps
        let pairsPerStep = batch * accumulation
        let epochs = preferences.numTrainEpochs
        let totalSteps = preferences.maxSteps
            ?? max(1, Int((epochs * Double(data.train.count) / Double(pairsPerStep)).rounded(.up)))
        let log = try TrainingLog(context: context, totalSteps: totalSteps, resumedStep: state.step)
        let order = SFTOrder(count: data.train.count, seed: settings.seed)
        print("reward-model: \(data.train.count) training and \(data.validation.count) held-out pairs (\(data.dropped) longer than \(maxTokens) tokens left out), \(totalSteps) steps, \(TrainingLog.threads)")

        // A model that scores both answers alike: ln 2 per pair without margins.
        let untrained = data.train.map { loss.evaluate(chosen: 0, rejected: 0, margin: $0.margin).loss }.reduce(0, +) / Double(data.train.count)
        let divergence = DivergenceCheck(
            step: context.step, limit: 3 * untrained,
            limitReason: "three times \(String(format: "%.4g", untrained)), the loss of a model that scores both answers alike",
            settings: settings)
        var loop = TrainingLoop(model: model, optimizer: optimizer, state: state, settings: settings, totalSteps: totalSteps,
                                context: context, log: log, divergence: divergence,
                                shown: ["accuracy", "margin", "eval_accuracy", "eval_margin"])
        func evaluate() throws -> [String: Double]? {
            guard !data.validation.isEmpty else { return nil }
            let measured = try Self.evaluate(model, data.validation, loss: loss, batch: batch, length: length)
            return ["eval_loss": measured.loss, "eval_accuracy": measured.accuracy, "eval_margin": measured.margin]
        }
        var heldOut = try loop.run(evaluatesFirst: false, accumulate: { step in
            var total = 0.0, accurate = 0, marginSum = 0.0, tokens = 0
            for m in 0..<accumulation {
                let pairs = (0..<batch).map { r in data.train[order.example(at: step * pairsPerStep + m * batch + r)] }
                let (chosen, rejected) = try Self.scores(model, pairs, length: length)
                var gradients = [Float](repeating: 0, count: 2 * pairs.count)
                for (i, pair) in pairs.enumerated() {
                    let r = loss.evaluate(chosen: Double(chosen[i]), rejected: Double(rejected[i]), margin: pair.margin)
                    total += r.loss / Double(pairsPerStep)
                    gradients[i] = Float(r.gradientChosen / Double(pairsPerStep))
                    gradients[pairs.count + i] = Float(r.gradientRejected / Double(pairsPerStep))
                    accurate += chosen[i] > rejected[i] ? 1 : 0
                    marginSum += Double(chosen[i] - rejected[i])
                    tokens += pair.chosen.tokens.count + pair.rejected.tokens.count
                }
                try model.backwardScalar(at: Self.lastPositions(pairs), gradients: gradients)
            }
            return .init(loss: total, tokens: tokens,
                         figures: ["accuracy": Double(accurate) / Double(pairsPerStep), "margin": marginSum / Double(pairsPerStep)])
        }, evaluate: evaluate, saving: { state in
            state.dataPosition = state.step * pairsPerStep
        })
        if heldOut == nil { heldOut = try evaluate() }
        try TrainedModel.save(model, tokenizer: tokenizer, tokenizerFile: tokenizerFile, to: context.outputPath("model"))
        try log.publish(to: context.outputPath("metrics"))
        var summary: [String: Value] = ["steps": .int(totalSteps), "train_pairs": .int(data.train.count),
                                        "validation_pairs": .int(data.validation.count), "dropped_pairs": .int(data.dropped),
                                        "threads": .int(ComputeThreads.count)]
        summary["identical_pairs_dropped"] = .int(data.identical)
        for (k, v) in heldOut ?? [:] { summary[k] = .float(v) }
        context.record(metrics: summary)
    }

    /// `network` with a fresh scalar head (normal(0, 0.02)) on top of its
    /// weights; a model that already has one keeps it.
    static func withScalarHead(_ network: GPT, seed: UInt64) throws -> GPT {
        if network.hasScalarHead { return network }
        let model = try GPT(config: network.config, scalarHead: true, seed: seed)
        model.parameters.copyMatching(from: network.parameters)
        return model
    }

    /// Index of each pair's last token in the [chosen rows, rejected rows] batch.
    static func lastPositions(_ pairs: [EncodedPreference]) -> [Int] {
        pairs.map { $0.chosen.tokens.count - 1 } + pairs.map { $0.rejected.tokens.count - 1 }
    }

    /// Scores of the chosen and rejected sequences: one forward of 2 × pairs rows padded to `length`.
    static func scores(_ model: GPT, _ pairs: [EncodedPreference], length: Int) throws -> (chosen: [Float], rejected: [Float]) {
        var tokens: [Int32] = []
        for s in pairs.map(\.chosen.tokens) + pairs.map(\.rejected.tokens) {
            tokens += s + [Int32](repeating: 0, count: length - s.count)
        }
        try model.forwardScalar(tokens: tokens, batch: 2 * pairs.count, length: length)
        let all = model.scalars(at: lastPositions(pairs))
        return (Array(all[..<pairs.count]), Array(all[pairs.count...]))
    }

    /// Mean loss, accuracy (share with r_c > r_r) and mean margin r_c − r_r over `pairs`.
    static func evaluate(_ model: GPT, _ pairs: [EncodedPreference], loss: BradleyTerryLoss, batch: Int,
                         length: Int) throws -> (loss: Double, accuracy: Double, margin: Double) {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var total = 0.0, accurate = 0, margin = 0.0
        for first in stride(from: 0, to: pairs.count, by: batch) {
            let slice = Array(pairs[first..<min(pairs.count, first + batch)])
            let (chosen, rejected) = try scores(model, slice, length: length)
            for (i, pair) in slice.enumerated() {
                total += loss.evaluate(chosen: Double(chosen[i]), rejected: Double(rejected[i]), margin: pair.margin).loss
                accurate += chosen[i] > rejected[i] ? 1 : 0
                margin += Double(chosen[i] - rejected[i])
            }
        }
        let n = Double(max(pairs.count, 1))
        return (total / n, Double(accurate) / n, margin / n)
    }
}
