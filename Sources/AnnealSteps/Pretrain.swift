import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealTensor
import AnnealText
import Foundation

/// The `pretrain` step kind: causal language modelling of a GPT on token
/// shards or on JSONL text encoded with a tokenizer, from random weights or
/// from a model (continued pretraining). AdamW with warmup then cosine decay,
/// gradient accumulation and clipping (nanoGPT's defaults). Checkpoints go to
/// the work folder; a killed run continues from the last one and ends with
/// the same bytes as a run never interrupted.
public struct Pretrain: StepImplementation {
    public init() {}

    static let modelSchema = Schema([
        Field("layers", .int(min: 1, max: 256), default: .int(4), doc: "transformer blocks (n_layer)"),
        Field("heads", .int(min: 1, max: 256), default: .int(4), doc: "attention heads per block (n_head); must divide width"),
        Field("width", .int(min: 1, max: 16384), default: .int(128), doc: "embedding width (n_embd)"),
        Field("context", .int(min: 2, max: 32768), default: .int(128), doc: "longest sequence the model sees (n_positions); windows are this long"),
    ], rules: [.divides("heads", "width", why: "each attention head gets width / heads dimensions")])

    public static let descriptor = StepKindDescriptor(
        name: "pretrain",
        version: 1,
        summary: "Pretrain a GPT (causal language modelling) on token shards or JSONL text.",
        schema: Schema([
            Field("train", .file, required: true,
                  doc: "training data: a folder of token shards (${tokenize.shards}; its train_* shards) or a JSONL file of text (${collect.train})"),
            Field("validation", .file,
                  doc: "validation data of the same kinds (default: the validation_* shards of the train folder, if any)"),
            Field("tokenizer", .file,
                  doc: "tokenizer.json: encodes JSONL text and is copied into the model (default: the one in init_from)"),
            Field("text_field", .string, default: .string("text"), doc: "the JSONL field that holds the text"),
            Field("init_from", .file,
                  doc: "a model folder to continue pretraining from (its architecture wins over `model`); absent: random initialisation"),
            Field("model", .record(modelSchema), default: .map([:]), doc: "architecture of a new model: { layers, heads, width, context }"),
            Field("max_steps", .int(min: 1), default: .int(1000), doc: "optimiser steps to train for"),
            Field("max_tokens", .int(min: 1),
                  doc: "a budget in tokens instead of steps: steps = ceil(max_tokens / tokens per step)"),
            Field("eval_batches", .int(min: 1, max: 100_000), default: .int(20),
                  doc: "batches of fixed validation windows per validation measure"),
        ] + TrainingHyperparameters.fields(.init(
            batchSize: 8, learningRate: 6e-4, warmupSteps: 100, scheduler: "cosine", weightDecay: 0.1, beta2: 0.95,
            seed: 1337, evalInterval: 100, checkpointInterval: 100)),
            rules: [.atLeastOne(of: ["tokenizer", "init_from"],
                                why: "a new model needs a tokenizer.json (${tokenizer.tokenizer}) to encode text and to ship with; init_from brings its own")]),
        outputs: .fixed([
            OutputDeclaration("model", path: "model", shape: .directory,
                              doc: "model.safetensors, config.json, generation_config.json and tokenizer.json (Hugging Face GPT-2)"),
            TrainingLog.output,
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        InterruptFlag.install()
        ComputeThreads.set(context.cpus)
        let config: Configuration = try configuration(context)
        let settings: TrainingHyperparameters = try configuration(context)
        let trainPath = config.train
        // The schema's rule (checked when the configuration is read) makes the else branch unreachable.
        guard let tokenizerFile = config.tokenizer ?? config.initFrom.map({ $0 + "/tokenizer.json" }) else {
            throw StepFailure("field 'tokenizer' is required when there is no init_from: give ${tokenizer.tokenizer} or a tokenizer.json path")
        }
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerFile))
        let field = config.textField

        let trainName = context.inputName(field: "train", path: trainPath)
        let train = try Self.corpus(trainPath, part: "train", field: field, tokenizer: tokenizer, name: trainName)
        guard let train else {
            throw StepFailure("\(trainName) holds no tokens (no train_*.tokens shards); give it the folder `tokenize` wrote from non-empty text")
        }
        var validation: TokenCorpus?
        if let path = config.validation {
            let name = context.inputName(field: "validation", path: path)
            validation = try Self.corpus(path, part: "validation", field: field, tokenizer: tokenizer, name: name)
            if validation == nil { throw StepFailure("\(name) holds no tokens (no validation_*.tokens shards)") }
        } else if TokenCorpus.isShardFolder(trainPath) {
            validation = try TokenCorpus.shards(in: trainPath, part: "validation", name: trainName)
        }

        // The model: a checkpoint of this very step, a model to continue, or new weights.
        let model: GPT, optimizer: AdamW, state: TrainingState
        if let checkpoint = context.latestCheckpoint() {
            let loaded = try TrainingCheckpoint.load(from: checkpoint)
            (model, optimizer, state) = (loaded.model, loaded.optimizer, loaded.state)
            print("resuming from \(checkpoint) at step \(state.step)")
        } else {
            if let initFrom = config.initFrom {
                model = try StartingModel.checkedFinite(try ModelDirectory.load(from: initFrom, seed: settings.seed), from: initFrom)
            } else {
                let shape = config.model
                let gptConfig = GPTConfig(layers: shape.layers, heads: shape.heads, width: shape.width, context: shape.context,
                                          vocabulary: tokenizer.vocabularySize)
                do { model = try GPT(config: gptConfig, seed: settings.seed) } catch {
                    throw StepFailure("field 'model': \(error)")
                }
            }
            optimizer = AdamW(parameters: model.parameters, config: settings.optimizer)
            state = TrainingState(step: 0, dataPosition: 0,
                                  generatorState: SeededGenerator(seed: settings.seed ^ 0xDA7A_5EED).state)
        }
        let length = model.config.context
        for corpus in [train] + (validation.map { [$0] } ?? []) {
            guard corpus.vocabularySize <= model.config.vocabulary else {
                throw StepFailure("\(corpus.source): token ids up to \(corpus.vocabularySize) but the model has \(model.config.vocabulary) embeddings; use the tokenizer the shards were made with")
            }
        }
        guard train.count > length + 1 else {
            throw StepFailure("\(train.source): \(train.count) tokens, fewer than one window of context \(length) + 1; give more text or a smaller model.context")
        }
        if let v = validation, v.count <= length + 1 {
            throw StepFailure("\(v.source): \(v.count) tokens, fewer than one window of context \(length) + 1")
        }

        let batch = settings.batchSize, accumulation = settings.gradientAccumulationSteps
        let tokensPerStep = batch * accumulation * length
        let totalSteps = config.maxTokens.map { ($0 + tokensPerStep - 1) / tokensPerStep } ?? config.maxSteps
        let log = try TrainingLog(context: context, totalSteps: totalSteps, resumedStep: state.step)
        let evalBatches = config.evalBatches
        guard var generator = SeededGenerator(state: state.generatorState) else {
            throw StepFailure("the checkpoint's data generator state is invalid; delete \(context.checkpointDirectory) to start over")
        }
        print("pretrain: \(model.config.parameterCount) parameters, \(train.count) training tokens, \(totalSteps) steps of \(tokensPerStep) tokens, \(TrainingLog.threads)")

        var loop = TrainingLoop(model: model, optimizer: optimizer, state: state, settings: settings, totalSteps: totalSteps,
                                context: context, log: log,
                                divergence: .languageModel(step: context.step, vocabulary: model.config.vocabulary, settings: settings),
                                shown: ["validation_loss"])
        let lastValidation = try loop.run(evaluatesFirst: true, accumulate: { _ in
            var loss: Double = 0
            for _ in 0..<accumulation {
                var tokens: [Int32] = [], targets: [Int32] = []
                tokens.reserveCapacity(batch * length)
                targets.reserveCapacity(batch * length)
                for _ in 0..<batch {
                    let start = Int(generator.next() % UInt64(train.count - length))
                    let window = try train.window(at: start, length: length + 1)
                    tokens += window[0..<length]
                    targets += window[1...]
                }
                try model.forward(tokens: tokens, targets: targets, batch: batch, length: length)
                loss += Double(model.meanLoss()) / Double(accumulation)
                try model.backward(uniformWeight: 1 / Float(batch * length * accumulation))
            }
            return .init(loss: Double(Float(loss)), tokens: tokensPerStep)
        }, evaluate: {
            guard let validation else { return nil }
            let loss = try Self.meanLoss(model, corpus: validation, windows: evalBatches * batch, batch: batch, length: length)
            return TrainingLoop.validationFigures(loss)
        }, saving: { state in
            state.generatorState = generator.state
            state.dataPosition = state.step * batch * accumulation
        })

        try TrainedModel.save(model, tokenizer: tokenizer, tokenizerFile: tokenizerFile, to: context.outputPath("model"))
        try log.publish(to: context.outputPath("metrics"))
        var summary: [String: Value] = ["steps": .int(totalSteps), "tokens": .int(totalSteps * tokensPerStep),
                                        "parameters": .int(model.config.parameterCount), "threads": .int(ComputeThreads.count)]
        for (name, value) in lastValidation ?? [:] { summary[name] = .float(value) }
        context.record(metrics: summary)
    }

    /// Token shards when `path` is a folder, else JSONL text encoded with `tokenizer`.
    static func corpus(_ path: String, part: String, field: String, tokenizer: BPETokenizer, name: String) throws -> TokenCorpus? {
        if TokenCorpus.isShardFolder(path) { return try TokenCorpus.shards(in: path, part: part, name: name) }
        return try TokenCorpus.encode(jsonl: path, field: field, tokenizer: tokenizer, name: name)
    }

    /// Mean next-token loss over `windows` fixed windows of `corpus`.
    static func meanLoss(_ model: GPT, corpus: TokenCorpus, windows: Int, batch: Int, length: Int) throws -> Float {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        let starts = corpus.evaluationStarts(count: windows, length: length + 1)
        var total: Double = 0, counted = 0
        for first in stride(from: 0, to: starts.count, by: batch) {
            let rows = Array(starts[first..<min(starts.count, first + batch)])
            var tokens: [Int32] = [], targets: [Int32] = []
            for start in rows {
                let window = try corpus.window(at: start, length: length + 1)
                tokens += window[0..<length]
                targets += window[1...]
            }
            try model.forward(tokens: tokens, targets: targets, batch: rows.count, length: length)
            total += Double(model.meanLoss()) * Double(rows.count)
            counted += rows.count
        }
        return Float(total / Double(max(counted, 1)))
    }
}
