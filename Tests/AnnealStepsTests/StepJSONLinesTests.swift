@testable import AnnealSteps
import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation
import Testing

/// Every kind reads JSONL the same way (`JSONLinesReader`): `collect`,
/// `tokenizer` and `tokenize` through `DocumentStream`, and the preference,
/// SFT, prompt, QA and pretraining-text readers through `JSONLines`. Each takes
/// a file saved with a byte order mark and CRLF line ends, and names the file,
/// line and column of a broken line.
@Suite struct StepJSONLinesTests {
    /// Writes `rows` as a Windows editor saves them: a byte order mark and CRLF line ends.
    static func windowsFile(_ w: DataStepWorkspace, _ name: String, _ rows: [String]) throws -> String {
        let path = "\(w.root)/\(name)"
        try Data(("\u{FEFF}" + rows.joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What each reader makes of a file: the number of rows it read.
    static func readers(_ path: String) -> [(String, () throws -> Int)] {
        [
            ("preference pairs", { try PreferenceData.read(path).count }),
            ("SFT examples", { try InstructionData.read(path, format: "auto").count }),
            ("prompts", { try PromptSet.read(path).count }),
            ("QA questions", { try Evaluate.questions(.init(data: path, maxNewTokens: 16, maxExamples: nil)).count }),
            ("pretraining text", {
                var trainer = BPETrainer(config: TokenizerTrainingConfig(vocabSize: 300, minFrequency: 2))
                trainer.add("Tell me about apples. Apples are red.")
                let tokenizer = try trainer.train()
                let corpus = try TokenCorpus.encode(jsonl: path, field: "prompt", tokenizer: tokenizer)
                let separator = Int32(tokenizer.tokenId(forSpecial: "<|endoftext|>")!)
                return try corpus.window(at: 0, length: corpus.count).filter { $0 == separator }.count + 1
            }),
            ("collect, tokenizer and tokenize (DocumentStream)", {
                let stream = try DocumentStream(config: CollectConfig(sources: [SourceSpec(jsonl: [path], field: "prompt")]))
                var n = 0
                while try stream.next() != nil { n += 1 }
                return n
            }),
        ]
    }

    static let rows = [
        #"{"prompt": "Tell me about apples.", "chosen": "Apples are red.", "rejected": "No.", "completion": "Apples are red.", "question": "Apples?", "answer": "red"}"#,
        #"{"prompt": "Tell me about pears.", "chosen": "Pears are green.", "rejected": "No.", "completion": "Pears are green.", "question": "Pears?", "answer": "green"}"#,
    ]

    @Test func everyReaderTakesAByteOrderMarkAndCRLFLineEnds() throws {
        let w = try DataStepWorkspace()
        let path = try Self.windowsFile(w, "rows.jsonl", Self.rows)
        for (reader, read) in Self.readers(path) {
            #expect(try read() == 2, "\(reader)")
        }
    }

    @Test func everyReaderNamesFileLineAndColumnOfABrokenLine() throws {
        let w = try DataStepWorkspace()
        // Line 2 has a comma before the closing brace, at byte 30.
        let path = try Self.windowsFile(w, "rows.jsonl", [Self.rows[0], #"{"prompt": "Tell me about it",}"#])
        for (reader, read) in Self.readers(path) {
            do {
                _ = try read()
                Issue.record("\(reader) accepted a broken line")
            } catch {
                #expect("\(error)".contains("\(path):2:31: expected a quoted key; each line must be one JSON object"), "\(reader): \(error)")
            }
        }
    }
}
