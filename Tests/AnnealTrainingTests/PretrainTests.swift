import AnnealSpec
import Foundation
import Testing

/// `pretrain` learns (validation loss falls by a stated margin) and resumes
/// exactly: a run killed with SIGKILL at a random moment and run again ends
/// with the same model bytes as a run never interrupted.
@Suite(.serialized) struct PretrainTests {
    /// Sentences from a tiny grammar: learnable structure, seeded.
    static func sentences(_ count: Int, seed: UInt64) -> [String] {
        var state = seed
        func pick(_ words: [String]) -> String {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return words[Int(state >> 33) % words.count]
        }
        let subjects = ["the cat", "a dog", "the bird", "my friend", "the old man"]
        let verbs = ["sees", "likes", "follows", "finds"]
        let objects = ["the red ball", "a green tree", "the river", "a small house"]
        return (0..<count).map { _ in "\(pick(subjects)) \(pick(verbs)) \(pick(objects))." }
    }

    static func pipeline(steps: Int) -> String {
        """
        name: pre
        steps:
          base:
            kind: pretrain
            with:
              train: train.jsonl
              validation: validation.jsonl
              tokenizer: tokenizer.json
              model: { layers: 2, heads: 2, width: 32, context: 32 }
              batch_size: 4
              max_steps: \(steps)
              warmup_steps: 5
              learning_rate: 3e-3
              eval_interval: 20
              eval_batches: 4
              checkpoint_interval: 4
        """
    }

    static func prepare(_ w: TrainingWorkspace, steps: Int) throws {
        let train = sentences(300, seed: 1), validation = sentences(40, seed: 2)
        _ = try w.trainTokenizer(train, vocabularySize: 300)
        try w.writeJSONL("train.jsonl", train.map { ["text": $0] })
        try w.writeJSONL("validation.jsonl", validation.map { ["text": $0] })
        try w.write("p.yaml", pipeline(steps: steps))
    }

    @Test func pretrainingLowersValidationLoss() throws {
        let w = try TrainingWorkspace()
        try Self.prepare(w, steps: 80)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(w.log(record, "base"))")
        let rows = try TrainingWorkspace.metricRows(try w.output(record, "base", "metrics"))
        let before = try #require(rows.first { $0["step"]?.int == 0 }?["validation_loss"]?.double)
        let after = try #require(rows.last?["validation_loss"]?.double)
        // A random model starts near ln(300) = 5.7; the grammar is learnable to well under half of that.
        #expect(before > 4.5)
        #expect(after < before - 2.0, "validation loss \(before) -> \(after)")
        #expect(rows.filter { $0["loss"] != nil }.count == 80)
        #expect(rows.last?["tokens_per_second"]?.double ?? 0 > 0)
        let model = try w.output(record, "base", "model")
        for file in ["model.safetensors", "config.json", "generation_config.json", "tokenizer.json"] {
            #expect(FileManager.default.fileExists(atPath: model + "/" + file), "\(file) missing")
        }
    }

    @Test func aKilledRunResumesToTheSameBytes() throws {
        let reference = try TrainingWorkspace()
        try Self.prepare(reference, steps: 48)
        let expected = try Data(contentsOf: URL(fileURLWithPath: try reference.output(try reference.run(), "base", "model") + "/model.safetensors"))

        var seed: UInt64 = 0x5EED_0007
        var resumed = 0
        for trial in 0..<3 {
            let w = try TrainingWorkspace()
            try Self.prepare(w, steps: 48)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let delay = 300_000 + UInt32(seed >> 33) % 1_200_000  // 0.3 to 1.5 s: startup, mid-training, near the end
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TrainingWorkspace.anneal)
            p.arguments = ["run", "p.yaml"]
            p.currentDirectoryURL = URL(fileURLWithPath: w.root)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            usleep(100_000)
            let record = try w.run()
            #expect(record.outcome == .succeeded, "trial \(trial)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: try w.output(record, "base", "model") + "/model.safetensors"))
            #expect(bytes == expected, "trial \(trial): killed after \(delay / 1000) ms, the resumed weights differ")
            if w.log(record, "base").contains("resuming from") { resumed += 1 }
        }
        // At least one kill landed mid-training, so a checkpoint was really used.
        #expect(resumed >= 1)
    }

    @Test func aTrainFileWithoutTheTextFieldNamesTheLine() throws {
        let w = try TrainingWorkspace()
        try Self.prepare(w, steps: 2)
        try w.write("train.jsonl", "{\"text\": \"the cat sees the river.\"}\n{\"body\": \"no text here\"}\n")
        let record = try w.run()
        #expect(record.outcome == .failed)
        let log = w.log(record, "base")
        #expect(log.contains("train.jsonl:2") && log.contains("'text'"), "\(log)")
    }
}
