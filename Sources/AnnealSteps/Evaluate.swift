import AnnealEngine
import AnnealFiles
import AnnealModel
import AnnealSpec
import AnnealTensor
import AnnealText
import Foundation

/// The `evaluate` step kind: several models side by side on the same suites.
/// `perplexity` on text or token shards; `qa`, greedy answers through the chat
/// template scored by normalised exact match and by contains-answer; `samples`,
/// seeded generations for a list of prompts. Writes `metrics.json` (one row per
/// model and metric) and `samples.jsonl`, and prints a comparison table.
public struct Evaluate: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "evaluate",
        version: 1,
        summary: "Compare models on perplexity, question answering and samples.",
        schema: Schema([
            Field("models", .map(.file), required: true,
                  doc: "name to model folder, e.g. { base: ${base.model}, sft: ${sft.model} }"),
            Field("perplexity", .record(Schema([
                Field("data", .file, required: true,
                      doc: "JSONL text (field text_field) or a folder of token shards (its validation_* shards, else train_*)"),
                Field("text_field", .string, default: .string("text"), doc: "the JSONL field that holds the text"),
                Field("max_tokens", .int(min: 2), default: .int(65536), doc: "score at most this many tokens"),
            ])), doc: "perplexity suite: mean next-token loss over non-overlapping context windows, and its exp"),
            Field("qa", .record(Schema([
                Field("data", .file, required: true,
                      doc: "JSONL of {\"question\", \"answers\": [...]} (or \"answer\": \"...\")"),
                Field("max_new_tokens", .int(min: 1), default: .int(32), doc: "longest answer generated"),
                Field("max_examples", .int(min: 1), doc: "score only the first this many questions"),
            ])), doc: "question answering suite: greedy decoding through the chat template"),
            Field("samples", .record(Schema([
                Field("prompts", .list(.string), required: true, doc: "prompts, each sent as a user turn"),
                Field("samples_per_prompt", .int(min: 1, max: 100), default: .int(1), doc: "generations per prompt"),
                Field("max_new_tokens", .int(min: 1), default: .int(64), doc: "longest generation"),
                Field("temperature", .float(min: 0), default: .float(0.8), doc: "softmax temperature; 0 is greedy"),
                Field("top_k", .int(min: 1), doc: "sample from the k most likely tokens"),
                Field("top_p", .float(min: 0.000001, max: 1), doc: "sample from the smallest set reaching probability p"),
                Field("seed", .int(min: 0), default: .int(0), doc: "seed of sample i of a prompt is seed + i"),
                Field("chat", .bool, default: .bool(true), doc: "wrap prompts in the chat template (false: raw text continuation)"),
            ])), doc: "samples suite: generations written to samples.jsonl"),
            Field("batch_size", .int(min: 1, max: 1024), default: .int(8), doc: "sequences per forward pass"),
        ] + EvaluateAlignmentSuites.fields,
        rules: [.atLeastOne(of: ["perplexity", "qa", "samples"] + EvaluateAlignmentSuites.fields.map(\.name),
                            why: "evaluate runs the suites it is given"),
                .namesKey(of: "models", at: ["win_rate", "baseline"], why: "the baseline is one of the models compared")]),
        outputs: .fixed([
            OutputDeclaration("metrics", path: "metrics.json", shape: .file,
                              doc: "a list of {model, suite, metric, value} rows"),
            OutputDeclaration("samples", path: "samples.jsonl", shape: .file,
                              doc: "QA answers and samples: one {model, suite, prompt, completion, ...} object per line"),
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        let config: Configuration = try configuration(context)
        ComputeThreads.set(context.cpus)
        let models = config.models
        guard !models.isEmpty else {
            throw StepFailure("field 'models' needs at least one name: model folder")
        }
        let batch = config.batchSize
        let qa = try config.qa.map { try Self.questions($0) }
        var rows: [Value] = [], samples: [Value] = []
        var table = ComparisonTable(models: models.keys.sorted(), values: [:])
        let alignment = EvaluateAlignmentSuites(config: config, models: models, batch: batch)
        for (index, name) in table.models.enumerated() {
            guard let path = models[name] else { continue }
            context.report(progress: Double(index) / Double(models.count), status: "evaluating \(name)")
            let model = try TrainedModel.load(path)
            var results: [(suite: String, metric: String, value: Double)] = []
            if let suite = config.perplexity {
                let loss = try perplexity(model, suite: suite, batch: batch)
                results += [("perplexity", "loss", loss), ("perplexity", "perplexity", exp(loss))]
            }
            if let qa, let suite = config.qa {
                let scored = try answer(model, name: name, questions: qa, suite: suite, batch: batch, samples: &samples)
                results += [("qa", "qa_exact_match", scored.exact), ("qa", "qa_contains", scored.contains),
                            ("qa", "qa_ended_turn", scored.endedTurn)]
            }
            if let suite = config.samples {
                try sample(model, name: name, suite: suite, batch: batch, samples: &samples)
            }
            results += try alignment.results(model, name: name, samples: &samples)
            for r in results {
                rows.append(.map(["model": .string(name), "suite": .string(r.suite), "metric": .string(r.metric), "value": .float(r.value)]))
                table.values[r.metric, default: [:]][name] = r.value
            }
        }
        try AtomicFile.write(CanonicalJSON.encodePretty(.list(rows)) + "\n", to: context.outputPath("metrics"))
        try AtomicFile.write(samples.map { CanonicalJSON.encode($0) + "\n" }.joined(), to: context.outputPath("samples"))
        print(table.text, terminator: "")
        var recorded: [String: Value] = table.values.mapValues { .map($0.mapValues { .float($0) }) }
        recorded["threads"] = .int(ComputeThreads.count)
        context.record(metrics: recorded)
    }

    /// Mean next-token loss over non-overlapping windows of the model's context.
    func perplexity(_ model: TrainedModel, suite: Configuration.Perplexity, batch: Int) throws -> Double {
        let path = suite.data, field = suite.textField
        let corpus: TokenCorpus?
        if TokenCorpus.isShardFolder(path) {
            corpus = try TokenCorpus.shards(in: path, part: "validation") ?? TokenCorpus.shards(in: path, part: "train")
        } else {
            corpus = try TokenCorpus.encode(jsonl: path, field: field, tokenizer: model.tokenizer)
        }
        guard let corpus else { throw StepFailure("\(path) holds no token shards") }
        let length = model.network.config.context
        guard corpus.count > length else {
            throw StepFailure("\(corpus.source) has \(corpus.count) tokens, fewer than one window of \(length + 1) for \(model.directory)")
        }
        let budget = min(corpus.count, suite.maxTokens)
        let windows = max(1, (budget - 1) / length)
        var total: Double = 0
        for first in stride(from: 0, to: windows, by: batch) {
            let count = min(batch, windows - first)
            var tokens: [Int32] = [], targets: [Int32] = []
            for w in first..<(first + count) {
                let window = try corpus.window(at: w * length, length: length + 1)
                tokens += window[0..<length]
                targets += window[1...]
            }
            try model.network.forward(tokens: tokens, targets: targets, batch: count, length: length)
            total += Double(model.network.meanLoss()) * Double(count)
        }
        return total / Double(windows)
    }

    struct Question {
        var question: String
        var answers: [String]
    }

    /// The questions of a QA file; a malformed line names the file and line.
    static func questions(_ suite: Configuration.QA) throws -> [Question] {
        let path = suite.data
        var out = try JSONLines.read(path).map { line -> Question in
            guard let question = line.value["question"]?.string else {
                throw StepFailure("\(path):\(line.number): missing the string field 'question'")
            }
            let answers: [String]
            if let list = line.value["answers"]?.list {
                answers = list.compactMap(\.string)
                guard answers.count == list.count, !answers.isEmpty else {
                    throw StepFailure("\(path):\(line.number): 'answers' must be a non-empty list of strings")
                }
            } else if let one = line.value["answer"]?.string {
                answers = [one]
            } else {
                throw StepFailure("\(path):\(line.number): give the accepted answers as 'answers': [...] or 'answer': \"...\"")
            }
            return Question(question: question, answers: answers)
        }
        if let limit = suite.maxExamples { out = Array(out.prefix(limit)) }
        return out
    }

    /// Greedy answers through the chat template; the share exactly matching,
    /// containing an accepted answer, and ending with the end-of-turn token.
    func answer(_ model: TrainedModel, name: String, questions: [Question], suite: Configuration.QA, batch: Int,
                samples: inout [Value]) throws -> (exact: Double, contains: Double, endedTurn: Double) {
        let template = try ChatTemplate(tokenizer: model.tokenizer)
        let sampler = Sampler(model: model.network)
        let options = SamplingOptions.greedy(maxNewTokens: suite.maxNewTokens, stopTokens: [template.endOfTurn])
        var exact = 0, contains = 0, ended = 0
        for first in stride(from: 0, to: questions.count, by: batch) {
            let slice = Array(questions[first..<min(questions.count, first + batch)])
            let prompts = slice.map { template.prompt([ChatMessage(role: "user", content: $0.question)]) }
            let generations = try sampler.generate(prompts: prompts, options: options)
            for (q, g) in zip(slice, generations) {
                let text = try Self.text(g, template: template)
                let isExact = AnswerMatch.exact(text, q.answers), isContained = AnswerMatch.contains(text, q.answers)
                exact += isExact ? 1 : 0
                contains += isContained ? 1 : 0
                ended += g.finishReason == .stopToken ? 1 : 0
                samples.append(.map(["model": .string(name), "suite": .string("qa"), "prompt": .string(q.question),
                                     "completion": .string(text), "answers": .list(q.answers.map(Value.string)),
                                     "exact_match": .bool(isExact), "contains": .bool(isContained),
                                     "finish_reason": .string(g.finishReason.rawValue)]))
            }
        }
        let n = Double(max(questions.count, 1))
        return (Double(exact) / n, Double(contains) / n, Double(ended) / n)
    }

    /// Seeded generations for each prompt.
    func sample(_ model: TrainedModel, name: String, suite: Configuration.Samples, batch: Int, samples: inout [Value]) throws {
        let template = try ChatTemplate(tokenizer: model.tokenizer)
        let sampler = Sampler(model: model.network)
        let chat = suite.chat
        let seed = suite.seed
        for prompt in suite.prompts {
            let ids = chat ? template.prompt([ChatMessage(role: "user", content: prompt)])
                : model.tokenizer.encode(prompt).map { Int32($0) }
            guard !ids.isEmpty else { throw StepFailure("samples: the prompt '\(prompt)' encodes to no tokens") }
            for i in 0..<suite.samplesPerPrompt {
                let options = SamplingOptions(maxNewTokens: suite.maxNewTokens, temperature: suite.temperature,
                                              topK: suite.topK, topP: suite.topP,
                                              stopTokens: chat ? [template.endOfTurn] : [], seed: UInt64(seed + i))
                let g = try sampler.generate(prompts: [ids], options: options)[0]
                samples.append(.map(["model": .string(name), "suite": .string("samples"), "prompt": .string(prompt),
                                     "sample": .int(i), "seed": .int(seed + i), "completion": .string(try Self.text(g, template: template)),
                                     "finish_reason": .string(g.finishReason.rawValue)]))
            }
        }
    }

    /// The generated text without the end-of-turn token.
    static func text(_ g: Generation, template: ChatTemplate) throws -> String {
        try template.tokenizer.decode(g.tokens.filter { $0 != template.endOfTurn }.map(Int.init))
    }
}
