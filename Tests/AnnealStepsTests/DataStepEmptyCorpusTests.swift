import AnnealEngine
import Foundation
import Testing

/// `collect`, `tokenizer` and `tokenize` fail when they would hand the next
/// step nothing to learn from, saying why, instead of succeeding with 0 documents.
@Suite struct DataStepEmptyCorpusTests {
    func log(_ record: RunRecord, _ step: String) -> String {
        guard let path = record.step(step)?.log else { return "" }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Runs a `collect` step with `with`, which must fail; its log.
    func failedCollect(_ w: DataStepWorkspace, with: String) throws -> String {
        try w.write("p.yaml", "name: empty\nsteps:\n  corpus:\n    kind: collect\n    with: \(with)\n")
        let record = try w.run()
        #expect(record.step("corpus")?.outcome == .failed)
        return log(record, "corpus")
    }

    @Test func collectOfSourcesWithNoDocumentsFails() throws {
        let w = try DataStepWorkspace()
        try w.write("data/empty.jsonl", "\n")
        let log = try failedCollect(w, with: "{ sources: [{ jsonl: data/empty.jsonl }] }")
        #expect(log.contains("collect: train.jsonl would be empty, so there is nothing to learn from: the 1 source files hold no documents"), "\(log)")
    }

    @Test func collectWhoseFiltersRemoveEveryDocumentFails() throws {
        let w = try DataStepWorkspace()
        try w.write("data/short.jsonl", #"{"text": "too short"}"# + "\n" + #"{"text": "also short"}"# + "\n")
        let log = try failedCollect(w, with: "{ sources: [{ jsonl: data/short.jsonl }], filters: { min_words: 5 } }")
        #expect(log.contains("all 2 documents read were removed (2 by min_words, 0 exact and 0 near duplicates). Loosen 'filters' or 'dedup'"), "\(log)")
    }

    @Test func tokenizerAndTokenizeOfAnEmptyFileFail() throws {
        let w = try DataStepWorkspace()
        try w.write("data/empty.jsonl", "")
        try w.write("data/text.jsonl", #"{"text": "some words to learn from, some words"}"# + "\n")
        try w.write("p.yaml", """
            name: empty
            steps:
              tokenizer:
                kind: tokenizer
                with: { text: data/empty.jsonl, vocab_size: 300 }
            """)
        let first = try w.run()
        #expect(first.step("tokenizer")?.outcome == .failed)
        #expect(log(first, "tokenizer").contains("tokenizer: the input `text: \(w.root)/data/empty.jsonl` holds no documents, so there is no text to learn a vocabulary from"),
                "\(log(first, "tokenizer"))")

        try w.write("p.yaml", """
            name: empty
            steps:
              tokenizer:
                kind: tokenizer
                with: { text: data/text.jsonl, vocab_size: 300 }
              empty:
                kind: shell
                with: { outputs: { text: empty.jsonl }, command: ": > ${outputs.text}" }
              tokens:
                kind: tokenize
                with: { tokenizer: "${tokenizer.tokenizer}", text: "${empty.text}" }
            """)
        let second = try w.run()
        #expect(second.step("tokenizer")?.outcome == .ran)
        #expect(second.step("tokens")?.outcome == .failed)
        #expect(log(second, "tokens").contains("tokenize: the input `text: ${empty.text}` (step empty, output text) holds no documents, so the train shards would hold no tokens"),
                "\(log(second, "tokens"))")
    }
}
