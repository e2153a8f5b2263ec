import AnnealAlignment
import AnnealEngine
import AnnealModel
import AnnealSpec
import Foundation

/// The alignment suites of `evaluate`, each over a prompt file:
///
/// - `reward`: the mean reward-model score of each model's answers;
/// - `win_rate` (suite `win-rate`): the share of prompts where a model's
///   answer outscores the baseline model's answer under the reward model,
///   ties counted half;
/// - `kl`: the mean per-token KL of each model from a reference on the
///   model's own samples, `E[log π(y_t) − log π_ref(y_t)]` (the k1 estimate),
///   with the k3 estimate beside it.
///
/// Answers go through the chat template and stop at `<|im_end|>`, as the
/// reward model saw them in training.
final class EvaluateAlignmentSuites {
    static func generation(temperature: Double) -> [Field] {
        [
            Field("prompts", .file, required: true, doc: "JSONL prompts: a string 'prompt' (a user turn) or 'messages'"),
            Field("max_new_tokens", .int(min: 1), default: .int(64), doc: "longest answer generated"),
            Field("temperature", .float(min: 0), default: .float(temperature), doc: "sampling temperature; 0 is greedy"),
            Field("seed", .int(min: 0), default: .int(0), doc: "seed of the sampling draws"),
            Field("max_examples", .int(min: 1), doc: "use only the first this many prompts"),
        ]
    }

    /// The fields `evaluate` adds to its schema.
    static let fields: [Field] = [
        Field("reward", .record(Schema(generation(temperature: 0) + [
            Field("reward_model", .file, required: true, doc: "the reward model that scores the answers (${reward.model})"),
        ])), doc: "reward suite: mean reward-model score of each model's answers"),
        Field("win_rate", .record(Schema(generation(temperature: 0) + [
            Field("reward_model", .file, required: true, doc: "the reward model that judges the answers (${reward.model})"),
            Field("baseline", .string, required: true, doc: "the name (a key of models) whose answers the others are compared with"),
        ])), doc: "win-rate suite: share of prompts where a model's answer outscores the baseline's, ties counted half"),
        Field("kl", .record(Schema(generation(temperature: 1) + [
            Field("reference", .file, required: true, doc: "the reference model (usually ${sft.model})"),
        ])), doc: "kl suite: mean per-token KL of each model from the reference on its own samples"),
    ]

    let config: Evaluate.Configuration
    let models: [String: String]
    let batch: Int
    private var rewardModels: [String: GPT] = [:]
    private var baselineScores: [Double]?

    /// `win_rate.baseline` names one of `models` (the kind's rule, checked when the configuration is read).
    init(config: Evaluate.Configuration, models: [String: String], batch: Int) {
        self.config = config
        self.models = models
        self.batch = batch
    }

    /// The suites' figures for one model; answers are added to `samples`.
    func results(_ model: TrainedModel, name: String, samples: inout [Value]) throws -> [(suite: String, metric: String, value: Double)] {
        var out: [(suite: String, metric: String, value: Double)] = []
        if let suite = config.reward {
            let scores = try answerScores(model, name: name, suite: suite, judge: suite.rewardModel, label: "reward", samples: &samples)
            out.append(("reward", "reward_mean", scores.reduce(0, +) / Double(max(scores.count, 1))))
        }
        if let suite = config.winRate {
            let baseline = suite.baseline
            let mine = try answerScores(model, name: name, suite: suite, judge: suite.rewardModel, label: "win-rate", samples: &samples)
            if baselineScores == nil {
                baselineScores = name == baseline ? mine
                    : try answerScores(try TrainedModel.load(models[baseline]!), name: baseline, suite: suite, judge: suite.rewardModel,
                                       label: nil, samples: &samples)
            }
            let theirs = baselineScores!
            let wins = zip(mine, theirs).reduce(0.0) { $0 + ($1.0 > $1.1 ? 1 : $1.0 == $1.1 ? 0.5 : 0) }
            out.append(("win-rate", "win_rate", wins / Double(max(mine.count, 1))))
        }
        if let suite = config.kl {
            let (k1, k3) = try divergence(model, name: name, suite: suite, samples: &samples)
            out += [("kl", "kl_per_token", k1), ("kl", "kl_k3_per_token", k3)]
        }
        return out
    }

    /// Prompts of a suite, as chat-template token ids with their text.
    func prompts(_ suite: any GenerationSuite, template: ChatTemplate) throws -> [(text: String, tokens: [Int32])] {
        var conversations = try PromptSet.read(suite.prompts)
        if let limit = suite.maxExamples { conversations = Array(conversations.prefix(limit)) }
        return conversations.map { ($0.last?.content ?? "", template.prompt($0)) }
    }

    /// Answers to the suite's prompts; `(prompt, answer tokens)` per prompt.
    func answers(_ model: TrainedModel, suite: any GenerationSuite) throws
        -> [(prompt: (text: String, tokens: [Int32]), generation: Generation)] {
        let template = try ChatTemplate(tokenizer: model.tokenizer)
        let prompts = try self.prompts(suite, template: template)
        for p in prompts where p.tokens.count + 1 >= model.network.config.context {
            throw StepFailure("the prompt '\(p.text)' has \(p.tokens.count) tokens, which leaves no room to answer in the context of \(model.network.config.context) of \(model.directory)")
        }
        let options = SamplingOptions(maxNewTokens: suite.maxNewTokens, temperature: Float(suite.temperature),
                                      stopTokens: [template.endOfTurn], seed: UInt64(suite.seed))
        var out: [(prompt: (text: String, tokens: [Int32]), generation: Generation)] = []
        let sampler = Sampler(model: model.network)
        for first in stride(from: 0, to: prompts.count, by: batch) {
            let slice = Array(prompts[first..<min(prompts.count, first + batch)])
            var sliceOptions = options
            sliceOptions.seed = options.seed &+ UInt64(first)
            let generations = try sampler.generate(prompts: slice.map(\.tokens), options: sliceOptions)
            out += zip(slice, generations).map { ($0, $1) }
        }
        return out
    }

    /// Reward-model scores of a model's answers to the suite's prompts.
    func answerScores(_ model: TrainedModel, name: String, suite: any GenerationSuite, judge path: String, label: String?,
                      samples: inout [Value]) throws -> [Double] {
        let judge = try rewardModel(path, tokenizerOf: model)
        let answered = try answers(model, suite: suite)
        let scores = try ScalarHeadScores.lastToken(judge, sequences: answered.map { $0.prompt.tokens + $0.generation.tokens },
                                                    batchSize: batch).map(Double.init)
        if let label {
            let template = try ChatTemplate(tokenizer: model.tokenizer)
            for (a, s) in zip(answered, scores) {
                samples.append(.map(["model": .string(name), "suite": .string(label), "prompt": .string(a.prompt.text),
                                     "completion": .string(try Evaluate.text(a.generation, template: template)), "reward": .float(s),
                                     "finish_reason": .string(a.generation.finishReason.rawValue)]))
            }
        }
        return scores
    }

    /// The reward model at `path`, loaded once, checked to share `model`'s tokenizer.
    func rewardModel(_ path: String, tokenizerOf model: TrainedModel) throws -> GPT {
        guard FileManager.default.contents(atPath: path + "/tokenizer.json") == FileManager.default.contents(atPath: model.directory + "/tokenizer.json") else {
            throw StepFailure("\(path)/tokenizer.json differs from \(model.directory)/tokenizer.json; the reward model must read the tokens the model writes")
        }
        if let cached = rewardModels[path] { return cached }
        let loaded = try TrainedModel.load(path).network
        guard loaded.hasScalarHead else {
            throw StepFailure("\(path) has no scalar head 'score'; give the folder a reward-model step wrote (${reward.model})")
        }
        rewardModels[path] = loaded
        return loaded
    }

    /// Mean per-token k1 and k3 estimates of KL(model ‖ reference) on the model's own samples.
    func divergence(_ model: TrainedModel, name: String, suite: KLSuite, samples: inout [Value]) throws -> (Double, Double) {
        let path = suite.reference
        let reference = try TrainedModel.load(path)
        guard reference.network.config.vocabulary == model.network.config.vocabulary,
              FileManager.default.contents(atPath: path + "/tokenizer.json") == FileManager.default.contents(atPath: model.directory + "/tokenizer.json") else {
            throw StepFailure("kl: the reference \(path) has another tokenizer than \(model.directory); KL needs one vocabulary")
        }
        let answered = try answers(model, suite: suite).filter { !$0.generation.tokens.isEmpty }
        let sequences = answered.map { $0.prompt.tokens + $0.generation.tokens }, starts = answered.map(\.prompt.tokens.count)
        let mine = try model.network.logProbabilities(of: sequences, continuationStarts: starts, batchSize: batch)
        let theirs = try reference.network.logProbabilities(of: sequences, continuationStarts: starts, batchSize: batch)
        var k1 = 0.0, k3 = 0.0, tokens = 0
        for (m, r) in zip(mine, theirs) {
            for (a, b) in zip(m.perToken, r.perToken) {
                k1 += KLEstimator.k1.estimate(logProbability: Double(a), referenceLogProbability: Double(b))
                k3 += KLEstimator.k3.estimate(logProbability: Double(a), referenceLogProbability: Double(b))
                tokens += 1
            }
        }
        let n = Double(max(tokens, 1))
        return (k1 / n, k3 / n)
    }
}
