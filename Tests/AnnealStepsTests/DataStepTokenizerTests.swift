import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation
import Testing

@Suite struct DataStepTokenizerTests {
    @Test func aTokenizerTrainsOnTheCollectedText() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", "name: tok\nsteps:\n" + MessyCorpus.collectStep(extra: "") + """

              tokenizer:
                kind: tokenizer
                with:
                  text: ${corpus.train}
                  vocab_size: 320
                  special_tokens: ["<|endoftext|>", "<|pad|>"]

            """)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(record.steps.map(\.reasons))")
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: try w.path(record, "tokenizer", "tokenizer")))
        #expect(tokenizer.vocabularySize == 320)
        #expect(tokenizer.tokenId(forSpecial: "<|endoftext|>") == 0)
        #expect(tokenizer.tokenId(forSpecial: "<|pad|>") == 1)
        #expect(tokenizer.merges.count == 320 - 2 - 256)
        let text = MessyCorpus.document(0)
        #expect(try tokenizer.decode(tokenizer.encode(text)) == text)
        #expect(tokenizer.encode(text).count < text.utf8.count / 2, "merges learnt from the corpus compress it")
        let metrics = try #require(record.step("tokenizer")?.metrics)
        #expect(metrics["documents"] == .int(try w.lines(record, "corpus", "train").count))
        #expect(metrics["vocabulary_size"] == .int(320))
    }

    @Test func fromBringsAHuggingFaceTokenizerAsItIs() throws {
        let w = try DataStepWorkspace()
        let fixture = DataStepWorkspace.packageRoot + "/Tests/AnnealTextTests/Fixtures/tokenizer.json"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture))
        try FileManager.default.createDirectory(atPath: w.root + "/hf", withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: w.root + "/hf/tokenizer.json"))
        try w.write("p.yaml", """
            name: bring
            steps:
              tokenizer:
                kind: tokenizer
                with: { from: hf/tokenizer.json }

            """)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(record.steps.map(\.reasons))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.path(record, "tokenizer", "tokenizer"))) == bytes)
        #expect(record.step("tokenizer")?.metrics["vocabulary_size"] == .int(try BPETokenizer.load(contentsOf: URL(fileURLWithPath: fixture)).vocabularySize))
    }

    @Test func fromRefusesAFileThatIsNotATokenizer() throws {
        let w = try DataStepWorkspace()
        try w.write("hf/tokenizer.json", #"{"model": {"type": "WordPiece", "vocab": {}}}"#)
        try w.write("p.yaml", "name: bad\nsteps:\n  tokenizer:\n    kind: tokenizer\n    with: { from: hf/tokenizer.json }\n")
        let record = try w.run()
        let step = try #require(record.step("tokenizer"))
        #expect(step.outcome == .failed)
        let log = try String(contentsOfFile: try #require(step.log), encoding: .utf8)
        #expect(log.contains("'from': \(w.root)/hf/tokenizer.json: model.type is 'WordPiece'"), "\(log)")
    }

    /// The compiler refuses both or neither (the kind's rule), at the place in the file.
    @Test func textAndFromTogetherOrNeitherAreRefused() throws {
        let w = try DataStepWorkspace()
        try w.write("hf/tokenizer.json", "{}")
        try w.write("t.jsonl", #"{"text": "hello"}"# + "\n")
        for (with, place, message) in [("{ from: hf/tokenizer.json, text: t.jsonl }", "5:13", "gives both 'text' and 'from'"),
                                        ("{ vocab_size: 300 }", "5:11", "needs one of 'text' or 'from'")] {
            try w.write("p.yaml", "name: bad\nsteps:\n  tokenizer:\n    kind: tokenizer\n    with: \(with)\n")
            let found = w.diagnostics().first { $0.message.contains(message) }
            #expect(found.flatMap(\.location).map { "\($0.line):\($0.column)" } == place, "\(w.diagnostics())")
        }
    }
}
