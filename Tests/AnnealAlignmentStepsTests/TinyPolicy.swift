import AnnealModel
import AnnealSpec
import AnnealSteps
import Foundation

/// A tiny chat model, fine-tuned once per test process with `sft` on the toy
/// task with both answer forms (courteous and plain) for every word, so it
/// produces either about half the time: the starting policy that DPO and PPO
/// must move towards the courteous form.
enum TinyPolicy {
    /// The fixture holding the model folder `sft/model` (kept for the whole process).
    static let trained: Result<AlignmentFixture, any Error> = Result {
        let f = try AlignmentFixture()
        try f.writeRandomModel("base", seed: 9)
        var rows: [[String: Any]] = []
        for word in AlignmentFixture.words {
            rows.append(["prompt": AlignmentFixture.prompt(word), "completion": AlignmentFixture.courteousAnswer(word)])
            rows.append(["prompt": AlignmentFixture.prompt(word), "completion": AlignmentFixture.plainAnswer(word)])
        }
        try f.writeJSONL("sft.jsonl", rows)
        try f.run(SFT(), name: "sft", with: [
            "model": .string(f.path("base")), "data": .string(f.path("sft.jsonl")), "validation_split": .float(0),
            "max_steps": .int(120), "batch_size": .int(16), "learning_rate": .float(5e-3), "warmup_steps": .int(10),
            "lr_scheduler_type": .string("constant"),
        ])
        return f
    }

    /// The fixture and the SFT model folder inside it.
    static func fixture() throws -> (AlignmentFixture, String) {
        let f = try trained.get()
        return (f, f.path("outputs/sft/model"))
    }

    /// The share of sampled answers (temperature 1, `perWord` seeds per word)
    /// that end with the courteous phrase.
    static func courteousShare(_ folder: String, words: [String] = AlignmentFixture.words, perWord: Int = 4) throws -> Double {
        let model = try TrainedModel.load(folder)
        let template = try ChatTemplate(tokenizer: model.tokenizer)
        let sampler = Sampler(model: model.network)
        var courteous = 0, total = 0
        for (i, word) in words.enumerated() {
            let prompt = template.prompt([ChatMessage(role: "user", content: AlignmentFixture.prompt(word))])
            let options = SamplingOptions(maxNewTokens: 20, temperature: 1, stopTokens: [template.endOfTurn], seed: UInt64(100 + i))
            for g in try sampler.generate(prompts: Array(repeating: prompt, count: perWord), options: options) {
                let text = try model.tokenizer.decode(g.tokens.filter { $0 != template.endOfTurn }.map(Int.init))
                courteous += text.hasSuffix("I hope this helps!") ? 1 : 0
                total += 1
            }
        }
        return Double(courteous) / Double(total)
    }
}
