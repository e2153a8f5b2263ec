import AnnealSpec
import AnnealText
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
        print("pretrain validation loss \(before) -> \(after)")
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
        // Two cores for every run: the kernels' sums depend on the thread count.
        let expected = try Data(contentsOf: URL(fileURLWithPath: try reference.output(try reference.run(jobs: 2), "base", "model") + "/model.safetensors"))

        var seed: UInt64 = 0x5EED_0007
        var resumed = 0
        for trial in 0..<3 {
            let w = try TrainingWorkspace()
            try Self.prepare(w, steps: 48)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let delay = 300_000 + UInt32(seed >> 33) % 1_200_000  // 0.3 to 1.5 s: startup, mid-training, near the end
            // The first trial kills right after the first checkpoint, so one kill
            // lands mid-training however fast the machine is.
            if trial == 0 { try w.killRunOnceCheckpointed(jobs: 2) } else { try w.killRun(after: delay, jobs: 2) }
            let record = try w.run(jobs: 2)
            #expect(record.outcome == .succeeded, "trial \(trial)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: try w.output(record, "base", "model") + "/model.safetensors"))
            #expect(bytes == expected, "trial \(trial): killed \(trial == 0 ? "after the first checkpoint" : "after \(delay / 1000) ms"), the resumed weights differ")
            if w.log(record, "base").contains("resuming from") { resumed += 1 }
        }
        // At least one kill landed mid-training, so a checkpoint was really used.
        #expect(resumed >= 1)
    }

    @Test func pretrainsOnTokenShardsAndEvaluates() throws {
        let w = try TrainingWorkspace()
        try Self.prepare(w, steps: 30)
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: w.path("tokenizer.json")))
        try CorpusEncoder(tokenizer: tokenizer, threads: 1, tokensPerShard: 1500).encode(
            jsonl: [("train", URL(fileURLWithPath: w.path("train.jsonl"))), ("validation", URL(fileURLWithPath: w.path("validation.jsonl")))],
            outputDirectory: URL(fileURLWithPath: w.path("shards")))
        try w.write("p.yaml", """
            name: shards
            steps:
              base:
                kind: pretrain
                with: { train: shards, tokenizer: tokenizer.json, model: { layers: 1, heads: 2, width: 32, context: 32 },
                        batch_size: 4, max_steps: 30, warmup_steps: 3, learning_rate: 3e-3, eval_interval: 10, eval_batches: 2 }
              more:
                kind: pretrain
                with: { train: shards, init_from: "${base.model}", batch_size: 4, max_steps: 3, eval_batches: 2, eval_interval: 10 }
              eval:
                kind: evaluate
                with:
                  models: { base: "${base.model}" }
                  perplexity: { data: validation.jsonl }
                  samples: { prompts: ["the cat", "a dog"], samples_per_prompt: 2, max_new_tokens: 6, chat: false, seed: 5 }
            """)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(w.log(record, "base"))\n\(w.log(record, "eval"))")
        // The train folder holds several shards, so windows cross shard boundaries.
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.path("shards")).filter { $0.hasPrefix("train_") }.count > 1)
        let rows = try TrainingWorkspace.metricRows(try w.output(record, "base", "metrics"))
        // Validation came from the validation_* shards of the same folder.
        let before = try #require(rows.first?["validation_loss"]?.double), after = try #require(rows.last?["validation_loss"]?.double)
        #expect(after < before - 1.0, "\(before) -> \(after)")
        // Continued pretraining starts from the base weights: its loss before step 1 is the base's last.
        let continued = try TrainingWorkspace.metricRows(try w.output(record, "more", "metrics"))
        #expect(continued.first?["validation_loss"]?.double == after)
        #expect(FileManager.default.fileExists(atPath: try w.output(record, "more", "model") + "/tokenizer.json"))
        let metrics = try JSONReader.parse(String(contentsOfFile: try w.output(record, "eval", "metrics"), encoding: .utf8)).list ?? []
        let perplexity = try #require(metrics.first { $0["metric"]?.string == "perplexity" }?["value"]?.double)
        #expect(perplexity > 1 && perplexity < exp(before))
        let samples = try String(contentsOfFile: try w.output(record, "eval", "samples"), encoding: .utf8)
        #expect(samples.split(separator: "\n").count == 4)
        #expect(samples.contains("\"seed\":6"))
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
