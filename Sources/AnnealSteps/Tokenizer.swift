import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation

/// The `tokenizer` step kind: trains a byte-level BPE tokenizer on JSONL text
/// (Hugging Face's `BpeTrainer` rules, so the same text gives the same
/// vocabulary), or brings an existing Hugging Face `tokenizer.json` with `from`.
public struct Tokenizer: StepImplementation {
    public init() {}

    public static let descriptor: StepKindDescriptor = {
        let library = TokenizerTrainingConfig()
        return StepKindDescriptor(
            name: "tokenizer",
            version: 1,
            summary: "Train a byte-level BPE tokenizer on JSONL text, or bring a Hugging Face tokenizer.json.",
            schema: Schema([
                Field("text", .either(.files, .list(.files)),
                      doc: "JSONL to train on: a path or glob, or a list (like ${corpus.train}); one document per line"),
                Field("field", .string, default: .string("text"), doc: "the JSONL field that holds the text"),
                Field("vocab_size", .int(min: 1, max: 1 << 24), default: .int(library.vocabSize),
                      doc: "ids in the vocabulary, counting the special tokens and the 256 bytes"),
                Field("min_frequency", .int(min: 1), default: .int(library.minFrequency),
                      doc: "merge a pair only if it occurs at least this often"),
                Field("special_tokens", .list(.string), default: .list(library.specialTokens.map { .string($0) }),
                      doc: "added tokens, ids 0, 1, ... in this order; tokenize needs <|endoftext|>"),
                Field("from", .file,
                      doc: "instead of training: a Hugging Face tokenizer.json (byte-level BPE) to check and use as it is"),
            ], rules: [.exactlyOne(of: ["text", "from"], why: "a tokenizer is trained on text or brought as it is from a tokenizer.json")]),
            outputs: .fixed([
                OutputDeclaration("tokenizer", path: "tokenizer.json", shape: .file,
                                  doc: "Hugging Face tokenizer.json (byte-level BPE)"),
            ]))
    }()

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        let config: Configuration = try configuration(context)
        let output = URL(fileURLWithPath: context.outputPath("tokenizer"))
        let texts = config.text?.paths ?? []
        let tokenizer: BPETokenizer
        var metrics: [String: Value] = [:]
        switch (config.from, texts.isEmpty) {
        case (let from?, true):
            do { tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: from)) } catch let e as TextError {
                throw StepFailure("'from': \(e.message)")
            }
            do { try FileManager.default.copyItem(atPath: from, toPath: output.path) } catch {
                throw StepFailure("cannot copy \(from) to \(output.path): \(error.localizedDescription)")
            }
            print("tokenizer: brought \(from) (\(tokenizer.vocabularySize) ids)")
        case (nil, false):
            var trainer = BPETrainer(config: TokenizerTrainingConfig(
                vocabSize: config.vocabSize, minFrequency: config.minFrequency, specialTokens: config.specialTokens))
            let field = config.field
            var documents = 0
            do {
                for (i, path) in texts.enumerated() {
                    context.report(progress: 0.5 * Double(i) / Double(texts.count), status: "counting words")
                    documents += try trainer.addJSONL(URL(fileURLWithPath: path), field: field)
                }
                guard documents > 0 else {
                    throw StepFailure("tokenizer: \(texts.map { context.inputName(field: "text", path: $0) }.joined(separator: ", ")) holds no documents, so there is no text to learn a vocabulary from; give JSONL with a '\(field)' field on each line (check the step that made it), or bring a tokenizer with 'from'")
                }
                context.report(progress: 0.5, status: "merging \(trainer.distinctWords) distinct words")
                tokenizer = try trainer.train()
                try tokenizer.write(to: output)
            } catch let e as TextError {
                throw StepFailure(e.message)
            }
            metrics["documents"] = .int(documents)
            metrics["distinct_words"] = .int(trainer.distinctWords)
            print("tokenizer: \(documents) documents, \(trainer.distinctWords) distinct words, \(tokenizer.vocabularySize) ids, \(tokenizer.merges.count) merges")
        case (.some, false):
            throw StepFailure("give 'text' to train a tokenizer or 'from' to bring one, not both")
        case (nil, true):
            throw StepFailure("give 'text' (JSONL to train on, like ${corpus.train}) or 'from' (a tokenizer.json)")
        }
        if tokenizer.tokenId(forSpecial: "<|endoftext|>") == nil {
            print("warning: the tokenizer has no <|endoftext|> token; tokenize and pretrain need it to separate documents")
        }
        metrics["vocabulary_size"] = .int(tokenizer.vocabularySize)
        metrics["merges"] = .int(tokenizer.merges.count)
        metrics["special_tokens"] = .int(tokenizer.addedTokens.count)
        context.record(metrics: metrics)
    }
}
