import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation

/// The `tokenize` step kind: encodes JSONL text with a tokenizer into token
/// shards, `<|endoftext|>` between documents, for the training kinds to read
/// through memory maps. One folder: `train_00000.tokens`, ... from `text`,
/// `validation_00000.tokens`, ... from `validation`, and `stats.json`.
public struct Tokenize: StepImplementation {
    public init() {}

    public static let descriptor = StepKindDescriptor(
        name: "tokenize",
        version: 1,
        summary: "Encode JSONL text into token shards with a tokenizer, <|endoftext|> between documents.",
        schema: Schema([
            Field("tokenizer", .file, required: true, doc: "the tokenizer.json to encode with (like ${tokenizer.tokenizer})"),
            Field("text", .files, required: true,
                  doc: "JSONL to encode into the train_* shards: a path or glob (like ${corpus.train})"),
            Field("validation", .files, doc: "JSONL to encode into the validation_* shards (like ${corpus.validation})"),
            Field("field", .string, default: .string("text"), doc: "the JSONL field that holds the text"),
            Field("tokens_per_shard", .int(min: 1), default: .int(1 << 28),
                  doc: "the most tokens in one shard file (2^28 is 512 MiB of uint16)"),
        ]),
        outputs: .fixed([
            OutputDeclaration("shards", path: "shards", shape: .directory,
                              doc: "train_NNNNN.tokens, validation_NNNNN.tokens and stats.json (see docs/data.md)"),
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        let config: Configuration = try configuration(context)
        let tokenizerPath = config.tokenizer
        var parts = [(name: "train", url: URL(fileURLWithPath: config.text))]
        if let validation = config.validation { parts.append((name: "validation", url: URL(fileURLWithPath: validation))) }
        let stats: TokenShardStats
        do {
            let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerPath))
            context.report(progress: 0, status: "encoding")
            let encoder = CorpusEncoder(tokenizer: tokenizer, threads: context.cpus,
                                        tokensPerShard: config.tokensPerShard)
            stats = try encoder.encode(jsonl: parts, field: config.field,
                                       outputDirectory: URL(fileURLWithPath: context.outputPath("shards")))
        } catch let e as TextError {
            throw StepFailure(e.message)
        }
        for part in stats.parts where part.documents == 0 {
            let input = context.inputName(field: part.name == "train" ? "text" : part.name,
                                          path: parts.first { $0.name == part.name }?.url.path ?? "")
            guard part.name != "train" else {
                throw StepFailure("tokenize: \(input) holds no documents, so the train shards would hold no tokens to learn from; give JSONL with a '\(config.field)' field on each line (check the step that made it)")
            }
            print("warning: \(input) holds no documents, so there are no \(part.name) shards")
        }
        var metrics: [String: Value] = ["vocabulary_size": .int(stats.vocabularySize), "tokens": .int(stats.tokens)]
        for part in stats.parts {
            metrics["\(part.name)_documents"] = .int(part.documents)
            metrics["\(part.name)_tokens"] = .int(part.tokens)
            metrics["\(part.name)_bytes_per_token"] = .float((part.bytesPerToken * 1000).rounded() / 1000)
            metrics["\(part.name)_shards"] = .int(part.shards.count)
            print("tokenize: \(part.name): \(part.documents) documents, \(part.tokens) tokens in \(part.shards.count) shards, \(String(format: "%.3f", part.bytesPerToken)) bytes per token")
        }
        context.record(metrics: metrics)
    }
}
