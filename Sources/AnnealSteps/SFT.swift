import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealTensor
import AnnealText
import Foundation

/// The `sft` step kind: supervised fine-tuning of a model on instruction
/// data (Alpaca, chat messages or prompt/completion JSONL) through the chat
/// template, by default with the loss on the answer tokens only, normalised
/// by their count across the accumulated micro-batches. Full fine-tuning or
/// LoRA (merged into the weights, or kept as a PEFT adapter). With `packing`
/// several examples share a row without attending to each other (see
/// `SFTPacking`). Checkpoints and resumes exactly like `pretrain`.
public struct SFT: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "sft",
        version: 2,  // 2: examples whose answers are all empty are left out
        summary: "Supervised fine-tuning on instruction data through the chat template; full or LoRA.",
        schema: Schema([
            Field("model", .file, required: true, doc: "the model folder to tune (${pretrain.model}), with its tokenizer.json"),
            Field("data", .file, required: true, doc: "JSONL examples: alpaca, chat messages or prompt/completion"),
            Field("format", .enumeration(InstructionData.formats), default: .string("auto"),
                  doc: "the form of the data; auto reads it from the first line's keys"),
            Field("validation", .file, doc: "held-out JSONL examples of the same form (default: validation_split of data)"),
            Field("validation_split", .float(min: 0, max: 0.9), default: .float(0.1),
                  doc: "share of data held out for validation loss when there is no validation file"),
            Field("completion_only_loss", .bool, default: .bool(true),
                  doc: "score only the answers (and their end-of-turn token); false scores every token"),
            Field("max_length", .int(min: 2),
                  doc: "longest example in tokens; longer ones are cut at the end (default: the model's context)"),
            Field("packing", .bool, default: .bool(false),
                  doc: "pack several examples into each row of max_length tokens, each attending only to itself with positions from 0; batch_size counts rows"),
            Field("num_train_epochs", .float(min: 0), default: .float(3), doc: "passes over the training examples"),
            Field("max_steps", .int(min: 1), doc: "optimiser steps to train for (overrides num_train_epochs)"),
        ] + LoRAFields.fields + TrainingHyperparameters.fields(.init(
            batchSize: 8, learningRate: 2e-5, warmupSteps: 0, scheduler: "linear", weightDecay: 0, beta2: 0.999,
            seed: 42, evalInterval: 50, checkpointInterval: 50))),
        outputs: .fixed([
            OutputDeclaration("model", path: "model", shape: .directory,
                              doc: "the tuned model with tokenizer.json (or the adapter when finetuning_type is lora and merge_lora false)"),
            TrainingLog.output,
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        InterruptFlag.install()
        ComputeThreads.set(context.cpus)
        let config: Configuration = try configuration(context)
        let settings: TrainingHyperparameters = try configuration(context)
        let loraSettings: LoRASettings = try configuration(context)
        let basePath = config.model, dataPath = config.data
        let tokenizerFile = basePath + "/tokenizer.json"
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerFile))
        let template = try ChatTemplate(tokenizer: tokenizer)
        let format = config.format
        let completionOnly = config.completionOnlyLoss

        let lora = try loraSettings.config()
        let model: GPT, optimizer: AdamW, state: TrainingState
        if let checkpoint = context.latestCheckpoint() {
            let loaded = try TrainingCheckpoint.load(from: checkpoint)
            (model, optimizer, state) = (loaded.model, loaded.optimizer, loaded.state)
            print("resuming from \(checkpoint) at step \(state.step)")
        } else {
            model = try StartingModel.checkedFinite(try ModelDirectory.load(from: basePath, lora: lora, seed: settings.seed), from: basePath)
            optimizer = AdamW(parameters: model.parameters, config: settings.optimizer)
            state = TrainingState(step: 0, dataPosition: 0, generatorState: [])
        }
        let maxLength = min(config.maxLength ?? model.config.context, model.config.context)

        // Examples: encoded through the template, cut to max_length + 1 tokens.
        let data = try InstructionData.readCounting(dataPath, format: format)
        var conversations = data.conversations, held: [[ChatMessage]] = []
        var emptyAnswersDropped = data.emptyAnswers.count
        if let validationPath = config.validation {
            let (heldConversations, heldEmptyAnswers) = try InstructionData.readCounting(validationPath, format: format)
            held = heldConversations
            emptyAnswersDropped += heldEmptyAnswers.count
        } else {
            let share = config.validationSplit
            var generator = SeededGenerator(seed: settings.seed ^ 0x5E1E_C7ED)
            SFTOrder.shuffle(&conversations, using: &generator)
            let count = share > 0 && conversations.count >= 2 ? max(1, Int((share * Double(conversations.count)).rounded())) : 0
            held = Array(conversations.prefix(count))
            conversations.removeFirst(count)
        }
        var truncated = 0
        func encode(_ conversation: [ChatMessage]) -> SFTExample? {
            var (tokens, isAnswer) = template.encode(conversation)
            if !completionOnly { isAnswer = tokens.indices.map { $0 > 0 } }
            if tokens.count > maxLength + 1 {
                truncated += 1
                tokens.removeLast(tokens.count - maxLength - 1)
                isAnswer.removeLast(isAnswer.count - maxLength - 1)
            }
            let example = SFTExample(tokens: tokens, trained: isAnswer)
            return example.targetCount > 0 ? example : nil
        }
        let train = conversations.compactMap(encode)
        let validation = held.compactMap(encode)
        guard !train.isEmpty else {
            throw StepFailure("\(dataPath): no training example keeps an answer token within max_length \(maxLength)")
        }
        let length = max(1, (train + validation).map { $0.tokens.count - 1 }.max()!)

        let batch = settings.batchSize, accumulation = settings.gradientAccumulationSteps
        // Examples per step, or rows per step when packing.
        let examplesPerStep = batch * accumulation
        let epochs = config.numTrainEpochs
        let packing = config.packing
            ? SFTPacking(inputLengths: train.map { $0.tokens.count - 1 }, capacity: maxLength, seed: settings.seed) : nil
        let epochRows = packing.map { Double($0.rows(covering: Int((epochs * Double(train.count)).rounded(.up)))) }
        let totalSteps = config.maxSteps
            ?? max(1, Int(((epochRows ?? epochs * Double(train.count)) / Double(examplesPerStep)).rounded(.up)))
        let log = try TrainingLog(context: context, totalSteps: totalSteps, resumedStep: state.step)
        let order = SFTOrder(count: train.count, seed: settings.seed)
        print("sft: \(train.count) training and \(validation.count) validation examples (\(truncated) cut to \(maxLength) tokens), "
              + "\(model.parameters.trainableCount) of \(model.parameters.values.count) weights train, \(totalSteps) steps, \(TrainingLog.threads)")
        var packedFigures: [String: Value] = [:]
        if let packing {
            let rows = totalSteps * examplesPerStep, examples = packing.positions(ofRow: rows - 1).upperBound
            packedFigures = ["packed_rows": .int(rows), "examples_per_row": .float(Double(examples) / Double(rows))]
            print(String(format: "packing: %d examples into %d rows of at most %d tokens, %.2f examples per row",
                         examples, rows, maxLength, Double(examples) / Double(rows)))
        }

        var loop = TrainingLoop(model: model, optimizer: optimizer, state: state, settings: settings, totalSteps: totalSteps,
                                context: context, log: log,
                                divergence: .languageModel(step: context.step, vocabulary: model.config.vocabulary, settings: settings),
                                shown: ["validation_loss"])
        let lastValidation = try loop.run(evaluatesFirst: true, accumulate: { step in
            if let packing {
                let (loss, tokens) = try Self.accumulatePacked(model, packing: packing, examples: train,
                                                               rows: step * examplesPerStep..<(step + 1) * examplesPerStep, batch: batch)
                return .init(loss: Double(loss), tokens: tokens)
            }
            let micro = (0..<accumulation).map { m in
                (0..<batch).map { r in train[order.example(at: step * examplesPerStep + m * batch + r)] }
            }
            let normaliser = micro.joined().reduce(0) { $0 + $1.targetCount }
            var loss: Float = 0, tokens = 0
            for examples in micro {
                let length = Self.paddedLength(examples, longest: length)
                var input: [Int32] = [], targets: [Int32] = []
                for example in examples {
                    let row = example.row(length: length)
                    input += row.tokens
                    targets += row.targets
                    tokens += example.tokens.count
                }
                let weights = targets.map { $0 >= 0 ? 1 / Float(normaliser) : 0 }
                try model.forward(tokens: input, targets: targets, batch: examples.count, length: length)
                loss += model.loss(weights: weights)
                try model.backward(weights: weights)
            }
            return .init(loss: Double(loss), tokens: tokens)
        }, evaluate: {
            validation.isEmpty ? nil : TrainingLoop.validationFigures(try Self.meanLoss(model, examples: validation, batch: batch, length: length))
        }, saving: { state in
            state.dataPosition = packing?.positions(ofRow: state.step * examplesPerStep).lowerBound ?? state.step * examplesPerStep
        })

        let output = context.outputPath("model")
        if model.lora != nil && loraSettings.keepsAdapter {
            try LoRAAdapterFiles.save(model, to: output, baseModel: basePath)
            try TrainedModel.copyTokenizer(tokenizerFile, to: output)
        } else {
            try TrainedModel.save(model, tokenizer: tokenizer, tokenizerFile: tokenizerFile, to: output)
        }
        try log.publish(to: context.outputPath("metrics"))
        var summary: [String: Value] = ["steps": .int(totalSteps), "train_examples": .int(train.count),
                                        "validation_examples": .int(validation.count), "truncated_examples": .int(truncated),
                                        "trainable_parameters": .int(model.parameters.trainableCount),
                                        "threads": .int(ComputeThreads.count)]
        if let loss = lastValidation?["validation_loss"] { summary["validation_loss"] = .float(loss) }
        summary["empty_answers_dropped"] = .int(emptyAnswersDropped)
        summary.merge(packedFigures) { $1 }
        context.record(metrics: summary)
    }

    /// The input length of a micro-batch: its longest example rounded up to a
    /// multiple of 32 (few distinct shapes, so activations are rarely
    /// reallocated), at most the longest example of the data.
    static func paddedLength(_ examples: [SFTExample], longest: Int) -> Int {
        let needed = max(1, examples.map { $0.tokens.count - 1 }.max() ?? 1)
        return min(longest, (needed + 31) / 32 * 32)
    }

    /// Adds the gradients of one step's packed `rows`, `batch` rows per
    /// micro-batch, with the loss normalised by the answer tokens of the whole
    /// step; returns the step's loss and its example tokens.
    static func accumulatePacked(_ model: GPT, packing: SFTPacking, examples: [SFTExample], rows: Range<Int>,
                                 batch: Int) throws -> (loss: Float, tokens: Int) {
        let packed = rows.map { packing.examples(inRow: $0).map { examples[$0] } }
        let normaliser = packed.joined().reduce(0) { $0 + $1.targetCount }
        var loss: Float = 0, tokens = 0
        for first in stride(from: 0, to: packed.count, by: batch) {
            let micro = packed[first..<min(packed.count, first + batch)]
            let fullest = micro.map { $0.reduce(0) { $0 + $1.tokens.count - 1 } }.max()!
            let length = min(packing.capacity, (fullest + 31) / 32 * 32)
            var input: [Int32] = [], targets: [Int32] = [], positions: [Int32] = []
            for row in micro {
                let packedRow = SFTPacking.row(row, length: length)
                input += packedRow.tokens
                targets += packedRow.targets
                positions += packedRow.positions
                tokens += row.reduce(0) { $0 + $1.tokens.count }
            }
            let weights = targets.map { $0 >= 0 ? 1 / Float(normaliser) : 0 }
            try model.forward(tokens: input, targets: targets, positions: positions, batch: micro.count, length: length)
            loss += model.loss(weights: weights)
            try model.backward(weights: weights)
        }
        return (loss, tokens)
    }

    /// Mean loss per scored token over `examples`.
    static func meanLoss(_ model: GPT, examples: [SFTExample], batch: Int, length: Int) throws -> Float {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        let normaliser = examples.reduce(0) { $0 + $1.targetCount }
        var total: Double = 0
        for first in stride(from: 0, to: examples.count, by: batch) {
            let slice = Array(examples[first..<min(examples.count, first + batch)])
            let length = paddedLength(slice, longest: length)
            var input: [Int32] = [], targets: [Int32] = []
            for example in slice {
                let row = example.row(length: length)
                input += row.tokens
                targets += row.targets
            }
            try model.forward(tokens: input, targets: targets, batch: slice.count, length: length)
            total += Double(model.loss(weights: targets.map { $0 >= 0 ? 1 / Float(normaliser) : 0 }))
        }
        return Float(total)
    }
}
