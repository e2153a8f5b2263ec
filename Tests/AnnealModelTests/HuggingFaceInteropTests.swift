import Foundation
import Testing
@testable import AnnealModel

/// A checkpoint written by Hugging Face `transformers` (`save_pretrained`,
/// fixture made once with the script described in its expected_logits.json)
/// loads and reproduces the logits transformers computed for it.
struct HuggingFaceInteropTests {
    @Test func reproducesTransformersLogits() throws {
        let directory = try #require(Bundle.module.url(forResource: "hf-gpt2-tiny", withExtension: nil, subdirectory: "Fixtures")).path
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/expected_logits.json"))) as! [String: Any]
        let tokens = (expected["tokens"] as! [[Int]]).flatMap { $0.map(Int32.init) }
        let reference = (expected["logits"] as! [Double]).map(Float.init)
        let model = try ModelDirectory.load(from: directory)
        #expect(model.config == GPTConfig(layers: 2, heads: 2, width: 8, context: 8, vocabulary: 11))
        try model.forward(tokens: tokens, batch: 2, length: 7)
        let worst = zip(Array(model.logits), reference).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5, "max |logit difference| \(worst)")
    }

    @Test func refusesArchitecturesItDoesNotCompute() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try GPT(config: TinyModel.config, seed: 1)
        try ModelDirectory.save(model, to: dir.path)
        for (key, value) in [("n_inner", 3 as Any), ("activation_function", "relu"), ("scale_attn_by_inverse_layer_idx", true)] {
            var json = ModelDirectory.configJSON(model, tokens: .init(), extras: [:])
            json[key] = value
            try ModelDirectory.writeJSON(json, to: dir.path + "/config.json")
            #expect(throws: ModelError.self, "\(key)") { try ModelDirectory.load(from: dir.path) }
        }
    }
}
