import AnnealModel
import AnnealSteps
import AnnealText
import Foundation
import Testing

/// `anneal generate` stops at the model's end-of-text token, as `transformers`
/// does (`eos_token_id` of generation_config.json, else config.json), and
/// does not print it.
@Suite(.serialized) struct GenerateEndOfTextTests {
    static let texts = ["the cat sat on the mat", "a dog ran to the park", "the sun is warm today"]

    static func generate(_ w: TrainingWorkspace, _ prompt: String, maxTokens: Int) throws -> String {
        let (status, output) = try w.anneal(["generate", w.path("m"), "--prompt", prompt, "--temperature", "0",
                                             "--max-tokens", String(maxTokens)])
        #expect(status == 0, "\(output)")
        return output
    }

    static func setEndOfText(_ w: TrainingWorkspace, _ file: String, _ id: Int) throws {
        let path = w.path("m/\(file)")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        json["eos_token_id"] = id
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
    }

    /// A random model whose greedy continuation of "the" reads as ASCII and
    /// brings a new token at some position k >= 2: that token is made the
    /// end of text, so generation must print exactly the k tokens before it.
    @Test func greedyGenerationStopsAtTheEndOfTextTokenWithoutPrintingIt() throws {
        let w = try TrainingWorkspace()
        let tokenizer = try w.trainTokenizer(Self.texts, vocabularySize: 300)
        let prompt = "the"
        let ids = tokenizer.encode(prompt).map { Int32($0) }
        var found: (seed: UInt64, text: String, stop: Int32)?
        for seed in UInt64(1)...40 where found == nil {
            try w.writeRandomModel("m", tokenizer: tokenizer, layers: 1, heads: 1, width: 16, context: 32, seed: seed)
            let free = try Sampler(model: try ModelDirectory.load(from: w.path("m"))).generate(prompts: [ids], options: .greedy(maxNewTokens: 12))[0].tokens
            guard let k = (2..<free.count).first(where: { !free[..<$0].contains(free[$0]) }) else { continue }
            let bytes = try tokenizer.decodeBytes(free[..<k].map(Int.init))
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { continue }
            found = (seed, String(decoding: bytes, as: UTF8.self), free[k])
        }
        let (seed, before, stop) = try #require(found, "no seed gave a plain ASCII continuation")
        try w.writeRandomModel("m", tokenizer: tokenizer, layers: 1, heads: 1, width: 16, context: 32, seed: seed)
        try Self.setEndOfText(w, "generation_config.json", Int(stop))
        #expect(try Self.generate(w, prompt, maxTokens: 12) == prompt + before + "\n")
    }

    /// A model that always predicts `<|endoftext|>` (its final layer norm
    /// gives the same vector, pointing at that token's embedding, whatever the
    /// input): nothing follows the prompt, whether config.json or
    /// generation_config.json names the token.
    @Test func theEndOfTextTokenIsNeverPrinted() throws {
        let w = try TrainingWorkspace()
        let tokenizer = try w.trainTokenizer(Self.texts, vocabularySize: 300)
        let eot = try #require(tokenizer.tokenId(forSpecial: "<|endoftext|>"))
        try w.writeRandomModel("m", tokenizer: tokenizer, layers: 1, heads: 1, width: 16, context: 32, seed: 1)
        let model = try ModelDirectory.load(from: w.path("m"))
        let row = Array(model.parameters.array("wte.weight")[(eot * 16)..<(eot * 16 + 16)]).map { 5 * $0 }
        var embeddings = model.parameters.array("wte.weight")
        embeddings.replaceSubrange((eot * 16)..<(eot * 16 + 16), with: row)
        model.parameters.set("wte.weight", embeddings)
        model.parameters.set("ln_f.weight", [Float](repeating: 0, count: 16))
        model.parameters.set("ln_f.bias", row.map { 10 * $0 })
        try ModelDirectory.save(model, to: w.path("m"), tokens: ModelDirectory.SpecialTokens(eos: eot))
        #expect(try Self.generate(w, "the cat", maxTokens: 5) == "the cat\n")

        // Without generation_config.json, config.json's eos_token_id is used.
        try FileManager.default.removeItem(atPath: w.path("m/generation_config.json"))
        try Self.setEndOfText(w, "config.json", eot)
        #expect(try Self.generate(w, "the cat", maxTokens: 5) == "the cat\n")
    }
}
