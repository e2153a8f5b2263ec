import AnnealAlignment
import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealTensor
import AnnealText
import Foundation

/// The `ppo` step kind: RLHF with proximal policy optimisation. Each
/// iteration samples responses to a batch of prompts with the KV cache at the
/// configured temperature (no top-k/top-p, so log-probabilities match the
/// sampling distribution), scores them with a frozen reward model (or a rule
/// written in the YAML), subtracts a per-token KL penalty against the frozen
/// reference (k1 or k3, fixed or adaptive coefficient), computes GAE with a
/// value model (initialised from the reward model) and whitened advantages,
/// then takes `num_ppo_epochs` passes of clipped policy and clipped value
/// updates over minibatches. Checkpoints and resumes exactly.
public struct PPO: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "ppo",
        version: 1,
        summary: "RLHF with PPO: sample, score with a reward model or rule, KL-penalise against a reference, clipped policy and value updates.",
        schema: Schema([
            Field("model", .file, required: true, doc: "the policy to start from (usually ${sft.model}), with its tokenizer.json"),
            Field("ref_model", .file, doc: "the frozen reference for the KL penalty (default: the starting policy)"),
            Field("reward_model", .file, doc: "the frozen reward model (${reward.model}); give it or reward_rule"),
            Field("reward_rule", .record(RewardRule.schema),
                  doc: "a reward written down instead of a reward model: a regular expression and/or a target length"),
            Field("value_model", .file, doc: "where the value model starts (default: the reward model, else the policy with a fresh head)"),
            Field("prompts", .file, required: true, doc: "JSONL prompts: a string 'prompt' (a user turn) or 'messages'"),
            Field("response_length", .int(min: 1), default: .int(53), doc: "longest sampled response in tokens"),
            Field("temperature", .float(min: 0.01, max: 100), default: .float(0.7),
                  doc: "sampling temperature; log-probabilities, KL and updates use the same tempered distribution"),
            Field("missing_eos_penalty", .float(min: 0), doc: "subtracted from the score of a response that does not end its turn"),
            Field("kl_coef", .float(min: 0), default: .float(0.05), doc: "coefficient of the per-token KL penalty in the reward"),
            Field("kl_estimator", .enumeration(KLEstimator.allCases.map(\.rawValue)), default: .string("k1"),
                  doc: "k1: log pi - log ref (unbiased); k3: (ref/pi - 1) - log(ref/pi) (unbiased, never negative)"),
            Field("adaptive_kl", .bool, default: .bool(false), doc: "adapt kl_coef towards kl_target (Ziegler et al.)"),
            Field("kl_target", .float(min: 0.000001), default: .float(6), doc: "the KL per response the adaptive coefficient aims at"),
            Field("kl_horizon", .float(min: 1), default: .float(10000), doc: "responses over which the adaptive coefficient moves by its error"),
            Field("cliprange", .float(min: 0), default: .float(0.2), doc: "policy ratio clip range epsilon"),
            Field("cliprange_value", .float(min: 0), default: .float(0.2), doc: "value clip range around the rollout's values"),
            Field("vf_coef", .float(min: 0), default: .float(0.1), doc: "weight of the value loss in the joint loss"),
            Field("gamma", .float(min: 0, max: 1), default: .float(1), doc: "discount factor"),
            Field("lam", .float(min: 0, max: 1), default: .float(0.95), doc: "GAE lambda"),
            Field("num_ppo_epochs", .int(min: 1), default: .int(4), doc: "passes over each rollout batch"),
            Field("num_mini_batches", .int(min: 1), default: .int(1), doc: "minibatches each pass splits the rollout batch into"),
            Field("whiten_rewards", .bool, default: .bool(false), doc: "whiten the per-token rewards of each batch (scale only)"),
            Field("num_train_epochs", .float(min: 0), default: .float(1), doc: "passes over the prompts"),
            Field("max_steps", .int(min: 1), doc: "iterations (rollout batches) to run (overrides num_train_epochs)"),
        ] + LoRAFields.fields.filter { $0.name != "lora_dropout" } + optimisationFields,
        rules: [.exactlyOne(of: ["reward_model", "reward_rule"],
                            why: "the responses are scored by a trained reward model or by a rule written in the YAML")]),
        outputs: .fixed([
            OutputDeclaration("model", path: "model", shape: .directory,
                              doc: "the aligned policy with tokenizer.json (or the adapter when finetuning_type is lora and merge_lora false)"),
            OutputDeclaration("metrics", path: "metrics.jsonl", shape: .file,
                              doc: "one line per iteration: objective/scores, objective/kl, objective/rlhf_reward, objective/entropy, policy/clipfrac_avg, policy/approxkl_avg, loss/value_avg, response_length, tokens_per_second, ms_per_step, ..."),
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    /// The shared optimisation fields, with `batch_size` counting prompts per
    /// iteration; PPO has no validation loss or gradient accumulation.
    static var optimisationFields: [Field] {
        TrainingHyperparameters.fields(.init(
            batchSize: 8, learningRate: 3e-6, warmupSteps: 0, scheduler: "linear", weightDecay: 0, beta2: 0.999,
            seed: 42, evalInterval: 1, checkpointInterval: 10))
        .filter { !["eval_interval", "gradient_accumulation_steps"].contains($0.name) }
        .map { field in
            var f = field
            if f.name == "batch_size" { f.doc = "prompts per iteration: responses sampled, scored and learned from together" }
            if f.name == "checkpoint_interval" { f.doc = "save a resumable checkpoint in the work folder every this many iterations" }
            return f
        }
    }

    struct Settings {
        var temperature: Float
        var responseLength: Int
        var klEstimator: KLEstimator
        var policyLoss: ClippedPolicyLoss
        var valueLoss: ClippedValueLoss
        var valueCoefficient: Double
        var gamma: Double
        var lambda: Double
        var epochs: Int
        var miniBatches: Int
        var whitenRewards: Bool
        var missingEndPenalty: Double?

        init(_ config: Configuration) {
            temperature = config.temperature
            responseLength = config.responseLength
            klEstimator = config.klEstimator
            policyLoss = ClippedPolicyLoss(clipRange: config.cliprange)
            valueLoss = ClippedValueLoss(clipRange: config.cliprangeValue)
            valueCoefficient = config.vfCoef
            gamma = config.gamma
            lambda = config.lam
            epochs = config.numPpoEpochs
            miniBatches = config.numMiniBatches
            whitenRewards = config.whitenRewards
            missingEndPenalty = config.missingEosPenalty
        }
    }

    public func run(_ context: StepContext) throws {
        InterruptFlag.install()
        ComputeThreads.set(context.cpus)
        let config: Configuration = try configuration(context)
        let training: TrainingHyperparameters = try configuration(context)
        let loraSettings: LoRASettings = try configuration(context)
        let settings = Settings(config)
        let basePath = config.model, promptsPath = config.prompts
        let rewardPath = config.rewardModel
        // Exactly one of them: the schema's rule, checked when the configuration is read.
        let rule = config.rewardRule
        let tokenizerFile = basePath + "/tokenizer.json"
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerFile))
        let template = try ChatTemplate(tokenizer: tokenizer)
        for other in [rewardPath, config.refModel, config.valueModel].compactMap({ $0 }) {
            guard FileManager.default.contents(atPath: other + "/tokenizer.json") == FileManager.default.contents(atPath: tokenizerFile) else {
                throw StepFailure("\(other)/tokenizer.json differs from the policy's \(tokenizerFile); PPO feeds the policy's tokens to every model, so they must share one tokenizer")
            }
        }
        let lora = try loraSettings.config()
        let keepAdapter = loraSettings.keepsAdapter
        if keepAdapter && StartingModel.isAdapter(basePath) {
            throw StepFailure("\(basePath) is itself an adapter; an adapter on an adapter cannot be saved alone. Set merge_lora: true, or start from a merged model")
        }

        // Models: policy and value train; reference and reward model are frozen.
        var policy: GPT, policyOptimizer: AdamW, value: GPT, valueOptimizer: AdamW, state: TrainingState
        if let checkpoint = context.latestCheckpoint() {
            (policy, policyOptimizer, state) = try TrainingCheckpoint.load(from: checkpoint + "/policy")
            (value, valueOptimizer, _) = try TrainingCheckpoint.load(from: checkpoint + "/value")
            print("resuming from \(checkpoint) at iteration \(state.step)")
        } else {
            policy = try StartingModel.load(basePath, lora: lora, seed: training.seed, scratch: context.workDirectory)
            TemperedHead.apply(policy, temperature: settings.temperature)
            let valueStart = config.valueModel ?? rewardPath ?? basePath
            value = try RewardModel.withScalarHead(
                try StartingModel.load(valueStart, lora: nil, seed: training.seed, scratch: context.workDirectory + "/value-start"),
                seed: training.seed)
            policyOptimizer = AdamW(parameters: policy.parameters, config: training.optimizer)
            valueOptimizer = AdamW(parameters: value.parameters, config: training.optimizer)
            state = TrainingState(step: 0, dataPosition: 0, generatorState: [])
        }
        let reference = try TrainedModel.load(config.refModel ?? basePath).network
        TemperedHead.apply(reference, temperature: settings.temperature)
        let rewardModel = try rewardPath.map { path -> GPT in
            let m = try TrainedModel.load(path).network
            guard m.hasScalarHead else {
                throw StepFailure("\(path) has no scalar head 'score'; give the model folder a reward-model step wrote (${reward.model})")
            }
            return m
        }
        var klController = AdaptiveKLController(initial: config.klCoef, target: config.klTarget, horizon: config.klHorizon)
        let adaptive = config.adaptiveKl
        if let bits = state.notes["kl_coef_bits"].flatMap(UInt64.init) {
            klController = AdaptiveKLController(initial: Double(bitPattern: bits), target: klController.target, horizon: klController.horizon)
        }

        let allPrompts = try PromptSet.read(promptsPath).map { template.prompt($0) }
        let prompts = allPrompts.filter { $0.count + 1 < policy.config.context }
        guard !prompts.isEmpty else {
            throw StepFailure("\(promptsPath): every prompt leaves no room for a response in the context of \(policy.config.context)")
        }
        let batch = training.batchSize
        let epochs = config.numTrainEpochs
        let totalIterations = config.maxSteps ?? max(1, Int((epochs * Double(prompts.count) / Double(batch)).rounded(.up)))
        let schedule = training.schedule(totalSteps: totalIterations)
        let log = try TrainingLog(context: context, totalSteps: totalIterations, resumedStep: state.step)
        let order = SFTOrder(count: prompts.count, seed: training.seed)
        print("ppo: \(prompts.count) prompts (\(allPrompts.count - prompts.count) too long left out), \(batch) per iteration, "
              + "\(totalIterations) iterations, reward from \(rewardPath ?? "the rule \(rule?.patternSource ?? "length")"), \(TrainingLog.threads)")
        // A policy that puts its mass where the reference expects a token less
        // than a uniform guess would has left the reference behind.
        let vocabulary = policy.config.vocabulary
        var divergence = DivergenceCheck(step: context.step, unit: "iteration", metric: "KL to the reference per response token",
                                         limit: Foundation.log(Double(vocabulary)),
                                         limitReason: "ln \(vocabulary), the KL of a policy sure of a token the reference rates as a uniform guess",
                                         settings: training)

        func checkpoint() throws {
            state.dataPosition = state.step * batch
            state.notes["kl_coef_bits"] = String(klController.coefficient.bitPattern)
            try context.saveCheckpoint(named: "iteration-\(state.step)") { dir in
                try TrainingCheckpoint.save(model: policy, optimizer: policyOptimizer, state: state, to: dir + "/policy")
                try TrainingCheckpoint.save(model: value, optimizer: valueOptimizer, state: state, to: dir + "/value")
            }
        }
        var last: [String: Double] = [:]
        while state.step < totalIterations {
            try InterruptFlag.stopIfRaised(at: state.step, unit: "iteration", checkpoint: checkpoint)
            let started = Date()
            let iteration = state.step
            let coefficient = klController.coefficient
            let batchPrompts = (0..<batch).map { prompts[order.example(at: iteration * batch + $0)] }
            var rollout = try Self.sample(policy, prompts: batchPrompts, settings: settings, endOfTurn: template.endOfTurn,
                                          seed: training.seed &+ UInt64(iteration) &* 0x9E37_79B9)
            let length = rollout.map { $0.tokens.count - 1 }.max()!
            let (old, entropy) = try Self.responseLogProbabilities(policy, rollout, length: length, entropy: true)
            let (ref, _) = try Self.responseLogProbabilities(reference, rollout, length: length, entropy: false)
            let values = try Self.responseValues(value, rollout, length: length)
            let scores: [Double]
            if let rewardModel {
                scores = try ScalarHeadScores.lastToken(rewardModel, sequences: rollout.map(\.tokens), batchSize: batch).map(Double.init)
            } else {
                scores = try rollout.map { r in
                    let text = try tokenizer.decode(r.response.filter { $0 != template.endOfTurn }.map(Int.init))
                    return rule!.score(text: text, tokens: r.response.count)
                }
            }
            for i in rollout.indices {
                rollout[i].oldLogProbabilities = old[i]
                rollout[i].referenceLogProbabilities = ref[i]
                rollout[i].values = values[i]
                rollout[i].score = scores[i] - (rollout[i].endedTurn ? 0 : settings.missingEndPenalty ?? 0)
                rollout[i].kl = zip(old[i], ref[i]).map { settings.klEstimator.estimate(logProbability: $0, referenceLogProbability: $1) }
                var rewards = rollout[i].kl.map { -coefficient * $0 }
                rewards[rewards.count - 1] += rollout[i].score
                rollout[i].rewards = rewards
            }
            if settings.whitenRewards {
                var flat = Whitening.apply(rollout.flatMap(\.rewards), shiftMean: false)[...]
                for i in rollout.indices {
                    rollout[i].rewards = Array(flat.prefix(rollout[i].rewards.count))
                    flat = flat.dropFirst(rollout[i].rewards.count)
                }
            }
            for i in rollout.indices {
                (rollout[i].advantages, rollout[i].returns) = GeneralizedAdvantage.compute(
                    rewards: rollout[i].rewards, values: rollout[i].values, gamma: settings.gamma, lambda: settings.lambda)
            }
            var whitened = Whitening.apply(rollout.flatMap(\.advantages))[...]
            for i in rollout.indices {
                rollout[i].advantages = Array(whitened.prefix(rollout[i].advantages.count))
                whitened = whitened.dropFirst(rollout[i].advantages.count)
            }

            let klPerResponse = rollout.map { $0.kl.reduce(0, +) }
            let meanKL = klPerResponse.reduce(0, +) / Double(rollout.count)
            let meanScore = scores.reduce(0, +) / Double(rollout.count)
            let penalisedScore = rollout.map(\.score).reduce(0, +) / Double(rollout.count)
            let tokens = Double(rollout.reduce(0) { $0 + $1.response.count })
            // Checked before the update, so a diverged iteration changes nothing.
            try divergence.checkFinite(at: iteration + 1, [("objective/scores", meanScore), ("objective/entropy", entropy)])
            try divergence.watch(klPerResponse.reduce(0, +) / tokens, at: iteration + 1)

            let rate = schedule.rate(at: iteration)
            let update = try Self.optimise(policy: policy, policyOptimizer: policyOptimizer, value: value, valueOptimizer: valueOptimizer,
                                           rollout: rollout, length: length, settings: settings, maxGradNorm: training.maxGradNorm,
                                           learningRate: rate, seed: training.seed &+ UInt64(iteration),
                                           divergence: divergence, iteration: iteration + 1)
            var row = update
            row["objective/scores"] = meanScore
            row["objective/kl"] = meanKL
            row["objective/non_score_reward"] = -coefficient * meanKL
            row["objective/rlhf_reward"] = penalisedScore - coefficient * meanKL
            row["objective/entropy"] = entropy / tokens
            row["response_length"] = tokens / Double(rollout.count)
            row["val/num_eos_tokens"] = Double(rollout.filter(\.endedTurn).count)
            row["kl_coef"] = coefficient
            row["learning_rate"] = Double(rate)
            row["episode"] = Double((iteration + 1) * batch)
            if adaptive { klController.update(kl: meanKL, samples: rollout.count) }
            state.step += 1
            let seconds = Date().timeIntervalSince(started)
            // Every token the iteration's forward passes read: prompts and responses.
            let read = rollout.reduce(0) { $0 + $1.tokens.count }
            row["tokens_per_second"] = (Double(read) / max(seconds, 1e-9)).rounded()
            row["ms_per_step"] = (seconds * 10_000).rounded() / 10
            log.record(step: state.step, row, shown: ["objective/scores", "objective/kl", "objective/rlhf_reward", "policy/clipfrac_avg", "loss/value_avg", "response_length", "tokens_per_second", "ms_per_step"])
            last = row
            if state.step % training.checkpointInterval == 0 && state.step < totalIterations && divergence.isWithinLimit { try checkpoint() }
        }

        TemperedHead.restore(policy, temperature: settings.temperature)
        let output = context.outputPath("model")
        if keepAdapter {
            try LoRAAdapterFiles.save(policy, to: output, baseModel: basePath)
            try TrainedModel.copyTokenizer(tokenizerFile, to: output)
        } else {
            try TrainedModel.save(policy, tokenizer: tokenizer, tokenizerFile: tokenizerFile, to: output)
        }
        try log.publish(to: context.outputPath("metrics"))
        var summary: [String: Value] = ["iterations": .int(totalIterations), "prompts": .int(prompts.count),
                                        "threads": .int(ComputeThreads.count)]
        for key in ["objective/scores", "objective/kl", "objective/rlhf_reward", "response_length"] {
            if let v = last[key] { summary[key] = .float(v) }
        }
        context.record(metrics: summary)
    }

    /// Responses to `prompts` sampled from the (tempered) policy at temperature 1.
    static func sample(_ policy: GPT, prompts: [[Int32]], settings: Settings, endOfTurn: Int32, seed: UInt64) throws -> [PPOResponse] {
        let options = SamplingOptions(maxNewTokens: settings.responseLength, temperature: 1, stopTokens: [endOfTurn], seed: seed)
        let generations = try Sampler(model: policy).generate(prompts: prompts, options: options)
        // Prompts leave room for at least one token, so no response is empty.
        return zip(prompts, generations).map { prompt, g in
            PPOResponse(prompt: prompt, response: g.tokens, endedTurn: g.finishReason == .stopToken)
        }
    }

    /// Input rows and targets (the response tokens) of `responses`, padded to `length`.
    static func rows(_ responses: [PPOResponse], length: Int) -> (tokens: [Int32], targets: [Int32]) {
        var tokens = [Int32](repeating: 0, count: responses.count * length)
        var targets = [Int32](repeating: -1, count: responses.count * length)
        for (r, response) in responses.enumerated() {
            let all = response.tokens
            for t in 0..<(all.count - 1) { tokens[r * length + t] = all[t] }
            for t in response.response.indices { targets[r * length + response.predictionPosition(t)] = response.response[t] }
        }
        return (tokens, targets)
    }

    /// log p of each response token under `model` (dropout off), and the summed
    /// entropy of the predictive distributions at those positions when asked.
    static func responseLogProbabilities(_ model: GPT, _ responses: [PPOResponse], length: Int,
                                         entropy wantsEntropy: Bool) throws -> ([[Double]], Double) {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        let (tokens, targets) = rows(responses, length: length)
        try model.forward(tokens: tokens, targets: targets, batch: responses.count, length: length)
        let nll = model.tokenLosses
        let logps = responses.enumerated().map { r, response in
            response.response.indices.map { -Double(nll[r * length + response.predictionPosition($0)]) }
        }
        var entropy = 0.0
        if wantsEntropy {
            let p = model.probabilities, v = model.config.vocabulary
            for (r, response) in responses.enumerated() {
                for t in response.response.indices {
                    let base = (r * length + response.predictionPosition(t)) * v
                    for k in 0..<v where p[base + k] > 0 { entropy -= Double(p[base + k]) * log(Double(p[base + k])) }
                }
            }
        }
        return (logps, entropy)
    }

    /// The value head's estimate at each response token's prediction position.
    static func responseValues(_ value: GPT, _ responses: [PPOResponse], length: Int) throws -> [[Double]] {
        let wasTraining = value.isTraining
        value.isTraining = false
        defer { value.isTraining = wasTraining }
        let values = try value.forwardScalar(tokens: rows(responses, length: length).tokens, batch: responses.count, length: length)
        return responses.enumerated().map { r, response in
            response.response.indices.map { Double(values[r * length + response.predictionPosition($0)]) }
        }
    }

    /// `num_ppo_epochs` passes of clipped policy and value updates over
    /// minibatches of the rollout; returns the logged averages.
    static func optimise(policy: GPT, policyOptimizer: AdamW, value: GPT, valueOptimizer: AdamW, rollout: [PPOResponse],
                         length: Int, settings: Settings, maxGradNorm: Float, learningRate: Float,
                         seed: UInt64, divergence: DivergenceCheck, iteration: Int) throws -> [String: Double] {
        var generator = SeededGenerator(seed: seed ^ 0x0990_5EED)
        var figures = PPOUpdateFigures()
        // Dropout stays off (as in TRL's PPO), so the first pass's ratio is exactly 1.
        policy.isTraining = false
        value.isTraining = false
        for _ in 0..<settings.epochs {
            var order = Array(rollout.indices)
            SFTOrder.shuffle(&order, using: &generator)
            let size = (order.count + settings.miniBatches - 1) / settings.miniBatches
            for first in stride(from: 0, to: order.count, by: size) {
                let mini = order[first..<min(order.count, first + size)].map { rollout[$0] }
                policy.parameters.zeroGradients()
                value.parameters.zeroGradients()
                try addPolicyGradients(policy, mini, length: length, settings: settings, figures: &figures)
                try addValueGradients(value, mini, length: length, settings: settings, figures: &figures)
                // One norm over both models, as for a single policy-and-value module.
                let p = GradientClipping.globalNorm(policy.parameters), v = GradientClipping.globalNorm(value.parameters)
                let total = (p * p + v * v).squareRoot()
                try divergence.checkFinite(at: iteration, [("grad_norm", Double(total))])
                if maxGradNorm > 0 {
                    if total > maxGradNorm {
                        let scale = maxGradNorm / (total + 1e-6)
                        for store in [policy.parameters, value.parameters] {
                            let g = store.gradients
                            for k in 0..<g.count { g.pointer[k] *= scale }
                        }
                    }
                }
                policyOptimizer.update(policy.parameters, learningRate: learningRate)
                valueOptimizer.update(value.parameters, learningRate: learningRate)
            }
        }
        return figures.metrics
    }

    /// Adds the gradient of the clipped policy loss averaged over the
    /// minibatch's response tokens, `(1/N) Σ_t max(−A_t ρ_t, −A_t clip(ρ_t, 1±ε))`:
    /// ∂L/∂log π(y_t) becomes the weight −∂L/∂log π on that token's NLL.
    static func addPolicyGradients(_ policy: GPT, _ mini: [PPOResponse], length: Int, settings: Settings,
                                   figures: inout PPOUpdateFigures) throws {
        let n = Double(mini.reduce(0) { $0 + $1.response.count })
        let (tokens, targets) = rows(mini, length: length)
        try policy.forward(tokens: tokens, targets: targets, batch: mini.count, length: length)
        let nll = policy.tokenLosses
        var weights = [Float](repeating: 0, count: tokens.count)
        for (r, response) in mini.enumerated() {
            for t in response.response.indices {
                let i = r * length + response.predictionPosition(t)
                let result = settings.policyLoss.evaluate(logProbability: -Double(nll[i]),
                                                          oldLogProbability: response.oldLogProbabilities[t],
                                                          advantage: response.advantages[t])
                weights[i] = Float(-result.gradient / n)
                figures.policyLoss += result.loss
                figures.clipped += result.clipped ? 1 : 0
                figures.approximateKL += result.approximateKL
                figures.ratio += exp(-Double(nll[i]) - response.oldLogProbabilities[t])
                figures.tokens += 1
            }
        }
        try policy.backward(weights: weights)
    }

    /// Adds the gradient of `vf_coef` times the clipped value loss averaged
    /// over the minibatch's response tokens, through the scalar head.
    static func addValueGradients(_ value: GPT, _ mini: [PPOResponse], length: Int, settings: Settings,
                                  figures: inout PPOUpdateFigures) throws {
        let n = Double(mini.reduce(0) { $0 + $1.response.count })
        let values = try value.forwardScalar(tokens: rows(mini, length: length).tokens, batch: mini.count, length: length)
        var gradients = [Float](repeating: 0, count: mini.count * length)
        for (r, response) in mini.enumerated() {
            for t in response.response.indices {
                let i = r * length + response.predictionPosition(t)
                let result = settings.valueLoss.evaluate(value: Double(values[i]), oldValue: response.values[t],
                                                         target: response.returns[t])
                gradients[i] = Float(settings.valueCoefficient * result.gradient / n)
                figures.valueLoss += result.loss
                figures.valueClipped += result.clipped ? 1 : 0
            }
        }
        try value.backwardScalar(gradients: gradients)
    }
}
