import AnnealModel
import AnnealSpec
import AnnealSteps
import AnnealText
import Foundation
import Testing

/// `sft` teaches a task that generalises to held-out items of the same form,
/// makes the model end its turn, and with LoRA changes only the adapted weights.
@Suite(.serialized) struct SFTTests {
    static let words = ["apple", "river", "stone", "cloud", "green", "piano", "tiger", "lemon", "ocean", "candle", "forest", "silver"]

    /// "Repeat the words" tasks over every ordered pair of words; a seeded
    /// quarter is held out for QA and never trained on.
    static func tasks() -> (train: [(String, String)], heldOut: [(String, String)]) {
        var pairs: [(String, String)] = []
        for a in words { for b in words where a != b { pairs.append((a, b)) } }
        var state: UInt64 = 11
        for i in stride(from: pairs.count - 1, to: 0, by: -1) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pairs.swapAt(i, Int(state >> 33) % (i + 1))
        }
        let held = pairs.count / 4
        return (Array(pairs[held...]), Array(pairs[..<held]))
    }

    /// A tokenizer and a random model folder `base`, the training data and the QA file.
    static func prepare(_ w: TrainingWorkspace) throws -> BPETokenizer {
        let (train, heldOut) = tasks()
        var texts: [String] = []
        for (a, b) in train + heldOut {
            texts.append("user\nRepeat the words\n\n\(a) \(b)\nassistant\n\(a) \(b)\n")
        }
        let tokenizer = try w.trainTokenizer(texts, vocabularySize: 400)
        try w.writeRandomModel("base", tokenizer: tokenizer, layers: 2, heads: 2, width: 64, context: 32, seed: 3)
        try w.writeJSONL("train.jsonl", train.map { ["instruction": "Repeat the words", "input": "\($0.0) \($0.1)", "output": "\($0.0) \($0.1)"] })
        try w.writeJSONL("qa.jsonl", heldOut.map { ["question": "Repeat the words\n\n\($0.0) \($0.1)", "answers": ["\($0.0) \($0.1)"]] })
        return tokenizer
    }

    static let pipeline = """
        name: tune
        steps:
          sft:
            kind: sft
            with:
              model: base
              data: train.jsonl
              max_steps: 150
              batch_size: 16
              learning_rate: 3e-3
              warmup_steps: 10
              validation_split: 0.1
              eval_interval: 50
          eval:
            kind: evaluate
            with:
              models: { base: base, sft: "${sft.model}" }
              qa: { data: qa.jsonl, max_new_tokens: 6 }
        """

    @Test func sftReachesQAAccuracyTheBaseModelDoesNot() throws {
        let w = try TrainingWorkspace()
        let tokenizer = try Self.prepare(w)
        for word in Self.words {
            #expect(tokenizer.encode(word).count == 1 && tokenizer.encode(" " + word).count == 1, "\(word) is not one token")
        }
        try w.write("p.yaml", Self.pipeline)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(w.log(record, "sft"))\n\(w.log(record, "eval"))")
        let rows = try JSONReader.parse(String(contentsOfFile: try w.output(record, "eval", "metrics"), encoding: .utf8)).list ?? []
        func metric(_ model: String, _ name: String) -> Double? {
            rows.first { $0["model"]?.string == model && $0["metric"]?.string == name }?["value"]?.double
        }
        let tuned = try #require(metric("sft", "qa_exact_match")), base = try #require(metric("base", "qa_exact_match"))
        print("held-out QA exact match: base \(base), sft \(tuned); sft ended its turn in \(metric("sft", "qa_ended_turn") ?? 0)")
        // Held-out pairs were never seen: copying them is the learned skill.
        #expect(tuned >= 0.8, "SFT exact match \(tuned)")
        #expect(base <= 0.05, "base exact match \(base)")
        #expect((metric("sft", "qa_contains") ?? 0) >= tuned)
        // The tuned model ends its answers with <|im_end|> instead of running on.
        #expect((metric("sft", "qa_ended_turn") ?? 0) >= 0.95)
        let log = w.log(record, "eval")
        print(log)
        #expect(log.contains("qa_exact_match") && log.contains("sft"), "the comparison table is printed: \(log)")
        let samples = try String(contentsOfFile: try w.output(record, "eval", "samples"), encoding: .utf8)
        #expect(samples.split(separator: "\n").count == 2 * Self.tasks().heldOut.count, "one QA row per model and question")

        // The same model answers from the command line, by step name and through chat.
        let (a, b) = Self.tasks().heldOut[0]
        let generated = try w.anneal(["generate", "sft", "--chat", "--temperature", "0", "--max-tokens", "6",
                                      "--prompt", "Repeat the words\n\n\(a) \(b)"])
        #expect(generated.status == 0 && generated.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(a) \(b)", "\(generated.output)")
        let chat = try w.anneal(["chat", "sft.model", "--temperature", "0", "--max-tokens", "6"], input: "Repeat the words\n")
        #expect(chat.status == 0 && chat.output.contains("> "), "\(chat.output)")
    }

    @Test func aKilledSFTRunResumesToTheSameBytes() throws {
        let pipeline = """
            name: resume
            steps:
              sft:
                kind: sft
                with: { model: base, data: train.jsonl, max_steps: 40, batch_size: 8, learning_rate: 3e-3,
                        checkpoint_interval: 3, eval_interval: 20, gradient_accumulation_steps: 2 }
            """
        let reference = try TrainingWorkspace()
        _ = try Self.prepare(reference)
        try reference.write("p.yaml", pipeline)
        // Two cores for every run: the kernels' sums depend on the thread count.
        let expected = try Data(contentsOf: URL(fileURLWithPath: try reference.output(try reference.run(jobs: 2), "sft", "model") + "/model.safetensors"))
        let w = try TrainingWorkspace()
        _ = try Self.prepare(w)
        try w.write("p.yaml", pipeline)
        try w.killRunOnceCheckpointed(jobs: 2)
        let record = try w.run(jobs: 2)
        #expect(record.outcome == .succeeded)
        #expect(w.log(record, "sft").contains("resuming from"), "the kill came before the first checkpoint: \(w.log(record, "sft"))")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try w.output(record, "sft", "model") + "/model.safetensors"))
        #expect(bytes == expected)
    }

    @Test func loraTrainsOnlyAdaptersAndLowersTheLoss() throws {
        let w = try TrainingWorkspace()
        _ = try Self.prepare(w)
        let baseBytes = try Data(contentsOf: URL(fileURLWithPath: w.path("base/model.safetensors")))
        try w.write("p.yaml", """
            name: lora
            steps:
              merged:
                kind: sft
                with: { model: base, data: train.jsonl, max_steps: 60, batch_size: 16, learning_rate: 5e-3,
                        finetuning_type: lora, lora_r: 8, lora_alpha: 32, lora_target: [c_attn, c_fc], eval_interval: 20 }
              adapter:
                kind: sft
                with: { model: base, data: train.jsonl, max_steps: 60, batch_size: 16, learning_rate: 5e-3,
                        finetuning_type: lora, lora_r: 8, lora_alpha: 32, lora_target: [c_attn, c_fc], eval_interval: 20,
                        merge_lora: false }
            """)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(w.log(record, "merged"))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.path("base/model.safetensors"))) == baseBytes)

        let rows = try TrainingWorkspace.metricRows(try w.output(record, "merged", "metrics"))
        let before = try #require(rows.first { $0["step"]?.int == 0 }?["validation_loss"]?.double)
        let after = try #require(rows.last?["validation_loss"]?.double)
        print("LoRA validation loss \(before) -> \(after)")
        #expect(after < before - 0.5, "LoRA validation loss \(before) -> \(after)")

        // Merged: only the adapted projections differ from the base.
        let base = try ModelDirectory.load(from: w.path("base"))
        let merged = try ModelDirectory.load(from: try w.output(record, "merged", "model"))
        for entry in base.parameters.entries {
            let same = base.parameters.array(entry.name) == merged.parameters.array(entry.name)
            let adapted = entry.name.hasSuffix("attn.c_attn.weight") || entry.name.hasSuffix("mlp.c_fc.weight")
            #expect(same != adapted, "\(entry.name): \(adapted ? "adapted but unchanged" : "not adapted but changed")")
        }
        // Adapter: a PEFT folder holding only adapter tensors, which load on the unchanged base.
        let adapterFolder = try w.output(record, "adapter", "model")
        #expect(FileManager.default.fileExists(atPath: adapterFolder + "/adapter_config.json"))
        #expect(!FileManager.default.fileExists(atPath: adapterFolder + "/model.safetensors"))
        let withAdapter = try LoRAAdapterFiles.load(from: adapterFolder, base: base)
        let b = withAdapter.parameters.array("h.0.attn.c_attn.lora_B.weight")
        #expect(b.contains { $0 != 0 }, "the adapter trained")
        #expect(withAdapter.parameters.array("h.0.attn.c_attn.weight") == base.parameters.array("h.0.attn.c_attn.weight"))
    }

    @Test func aMalformedExampleNamesFileLineAndField() throws {
        let w = try TrainingWorkspace()
        _ = try Self.prepare(w)
        try w.write("bad.jsonl", "{\"instruction\": \"Say hi\", \"output\": \"hi\"}\n{\"instruction\": \"Say bye\"}\n")
        try w.write("p.yaml", """
            name: bad
            steps:
              sft: { kind: sft, with: { model: base, data: bad.jsonl, max_steps: 1 } }
            """)
        let record = try w.run()
        #expect(record.outcome == .failed)
        let log = w.log(record, "sft")
        #expect(log.contains("bad.jsonl:2") && log.contains("'output'"), "\(log)")
    }
}
