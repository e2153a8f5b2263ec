import Foundation
import Testing
import AnnealTensor
@testable import AnnealModel

/// A saved model directory loads back to the same function, has the
/// Hugging Face GPT-2 names, shapes and config keys, reads hub-style files
/// (no prefix, attn.bias buffers, lm_head) and refuses incomplete ones.
struct ModelDirectoryTests {
    let tokens = TinyModel.tokens(10, seed: 1)

    func logits(_ model: GPT) throws -> [Float] {
        try model.forward(tokens: tokens, batch: 2, length: 5)
        return Array(model.logits)
    }

    @Test func roundTripsAndUsesHubNames() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try GPT(config: TinyModel.config, seed: 4)
        try ModelDirectory.save(model, to: dir.path, tokens: .init(bos: 0, eos: 1))
        let loaded = try ModelDirectory.load(from: dir.path)
        #expect(loaded.config == model.config)
        #expect(try logits(loaded) == logits(model))
        let file = try SafetensorsFile(contentsOf: dir.path + "/model.safetensors")
        #expect(file.info("transformer.h.1.attn.c_attn.weight")?.shape == [8, 24])
        #expect(file.info("transformer.h.0.mlp.c_proj.weight")?.shape == [32, 8])
        #expect(file.info("transformer.wte.weight")?.shape == [11, 8])
        #expect(file.info("lm_head.weight") == nil)
        let json = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: dir.path + "/config.json")!) as! [String: Any]
        #expect(json["model_type"] as? String == "gpt2")
        #expect(json["n_embd"] as? Int == 8 && json["n_layer"] as? Int == 2 && json["n_head"] as? Int == 2)
        #expect(json["n_positions"] as? Int == 8 && json["vocab_size"] as? Int == 11)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/generation_config.json"))
    }

    @Test func readsHubStyleCheckpoints() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try GPT(config: TinyModel.config, seed: 5)
        // Names without the prefix, plus the buffers and the tied head HF may store.
        var arrays = model.parameters.entries.map { ($0.name, $0.shape, model.parameters.array($0.name)) }
        arrays.append(("h.0.attn.bias", [1, 1, 8, 8], [Float](repeating: 1, count: 64)))
        arrays.append(("h.1.attn.masked_bias", [1], [-1e4]))
        arrays.append(("lm_head.weight", [11, 8], model.parameters.array("wte.weight")))
        try ModelDirectory.writeTensors(arrays, to: dir.path + "/model.safetensors")
        try ModelDirectory.writeJSON(["model_type": "gpt2", "n_embd": 8, "n_layer": 2, "n_head": 2, "n_ctx": 8, "vocab_size": 11],
                                     to: dir.path + "/config.json")
        #expect(try logits(ModelDirectory.load(from: dir.path)) == logits(model))
    }

    @Test func refusesMissingAndMisshapenTensors() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try GPT(config: TinyModel.config, seed: 5)
        try ModelDirectory.save(model, to: dir.path)
        var arrays = model.parameters.entries.dropLast().map { ($0.name, $0.shape, model.parameters.array($0.name)) }
        try ModelDirectory.writeTensors(arrays, to: dir.path + "/model.safetensors")
        #expect(throws: ModelError.missingTensor(path: dir.path + "/model.safetensors", name: "ln_f.bias")) {
            try ModelDirectory.load(from: dir.path)
        }
        arrays = model.parameters.entries.map { ($0.name, $0.name == "wpe.weight" ? [4, 16] : $0.shape, model.parameters.array($0.name)) }
        try ModelDirectory.writeTensors(arrays, to: dir.path + "/model.safetensors")
        #expect(throws: ModelError.self) { try ModelDirectory.load(from: dir.path) }
        // A config far larger than the weights fails before anything is allocated.
        try ModelDirectory.writeJSON(["model_type": "gpt2", "n_embd": 1 << 20, "n_layer": 1 << 20, "n_head": 1,
                                      "n_positions": 1 << 20, "vocab_size": 1 << 20], to: dir.path + "/config.json")
        #expect(throws: ModelError.self) { try ModelDirectory.load(from: dir.path) }
        try ModelDirectory.writeJSON(["model_type": "llama"], to: dir.path + "/config.json")
        #expect(throws: ModelError.self) { try ModelDirectory.load(from: dir.path) }
    }

    @Test func savesTheScalarHeadForSequenceClassification() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try GPT(config: TinyModel.config, scalarHead: true, seed: 6)
        try ModelDirectory.save(model, to: dir.path)
        let loaded = try ModelDirectory.load(from: dir.path)
        #expect(loaded.hasScalarHead)
        #expect(Array(try loaded.forwardScalar(tokens: tokens, batch: 2, length: 5)) == Array(try model.forwardScalar(tokens: tokens, batch: 2, length: 5)))
        let json = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: dir.path + "/config.json")!) as! [String: Any]
        #expect((json["architectures"] as? [String]) == ["GPT2ForSequenceClassification"])
        #expect(json["num_labels"] as? Int == 1)
    }
}
