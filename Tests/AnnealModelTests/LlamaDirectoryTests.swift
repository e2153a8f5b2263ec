import Foundation
import Testing
@testable import AnnealModel

/// Saving writes a folder that loads back to the same weights and logits
/// (F32, config.json in the transformers layout); loading refuses configs and
/// weights this implementation would compute differently, naming the field or
/// tensor.
struct LlamaDirectoryTests {
    @Test(arguments: [TinyLlama.llama, TinyLlama.qwen2]) func saveThenLoadKeepsEveryWeight(config: LlamaConfig) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try Llama(config: config, seed: 3)
        TinyLlama.randomise(model, seed: 4)
        model.stopTokens = [2, 7]
        try model.save(to: dir.path, tokens: .init(bos: 1, eos: 2, pad: 0))
        let loaded = try LlamaDirectory.load(from: dir.path)
        #expect(loaded.config == config)
        #expect(loaded.parameters.values.values.map(\.bitPattern) == model.parameters.values.values.map(\.bitPattern))
        #expect(loaded.specialTokens == .init(bos: 1, eos: 2, pad: 0) && loaded.stopTokens == [2, 7])
        let json = try LlamaDirectory.readJSON(dir.path + "/config.json", required: true)!
        #expect(json["architectures"] as? [String] == [config.family.architecture])
        #expect(json["model_type"] as? String == config.family.rawValue)
        #expect(try SafetensorsFile(contentsOf: dir.path + "/model.safetensors").tensors.allSatisfy { $0.dtype == .F32 })
        let names = try SafetensorsFile(contentsOf: dir.path + "/model.safetensors").tensors.map(\.name)
        #expect(names.contains("lm_head.weight") == !config.tiedEmbeddings)
    }

    /// Writes a valid folder, lets `edit` change its config.json, and returns the load error.
    func loadError(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let model = try Llama(config: TinyLlama.llama, seed: 1)
        try model.save(to: dir.path, tokens: .init())
        var json = try LlamaDirectory.readJSON(dir.path + "/config.json", required: true)!
        edit(&json)
        try ModelDirectory.writeJSON(json, to: dir.path + "/config.json")
        do {
            _ = try LlamaDirectory.load(from: dir.path)
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test func refusesConfigsItDoesNotCompute() throws {
        #expect(try loadError { $0["model_type"] = "mistral" }.contains("model_type is 'mistral'"))
        #expect(try loadError { $0["architectures"] = ["LlamaForSequenceClassification"] }.contains("architectures"))
        #expect(try loadError { $0["hidden_act"] = "gelu" }.contains("hidden_act is 'gelu'"))
        #expect(try loadError { $0["rope_scaling"] = ["rope_type": "yarn", "factor": 4.0] }.contains("rope_scaling.rope_type is 'yarn'"))
        #expect(try loadError { $0["rope_parameters"] = ["rope_type": "dynamic", "rope_theta": 10000.0] }.contains("rope_parameters.rope_type is 'dynamic'"))
        #expect(try loadError { $0["rope_scaling"] = ["rope_type": "linear"] }.contains("rope_scaling.factor is missing"))
        #expect(try loadError { $0["num_key_value_heads"] = 3 }.contains("num_key_value_heads 3"))
        #expect(try loadError { $0["attention_dropout"] = 0.1 }.contains("attention_dropout"))
        #expect(try loadError { $0["hidden_size"] = "twelve" }.contains("'hidden_size'"))
        #expect(try loadError { $0["mlp_bias"] = false }.contains("model.safetensors: tensor 'model.layers.0.mlp.down_proj.bias' is not part of the model"))
        #expect(try loadError { $0["tie_word_embeddings"] = true } == "loaded")  // transformers ignores a stored head when tied, too
        #expect(try loadError { $0["intermediate_size"] = 19 }.contains("model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [20, 12] but the config needs [19, 12]"))
        #expect(try loadError { _ in } == "loaded")
    }

    @Test func refusesQwen2SlidingWindow() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try Llama(config: TinyLlama.qwen2, seed: 1).save(to: dir.path, tokens: .init())
        var json = try LlamaDirectory.readJSON(dir.path + "/config.json", required: true)!
        json["use_sliding_window"] = true
        try ModelDirectory.writeJSON(json, to: dir.path + "/config.json")
        #expect(throws: ModelError.self) { try LlamaDirectory.load(from: dir.path) }
        do { _ = try LlamaDirectory.load(from: dir.path) } catch { #expect("\(error)".contains("use_sliding_window")) }
    }

    @Test func shardedFolderNeedsEveryShard() throws {
        let source = try LlamaHuggingFaceTests.directory("hf-llama-llama3-sharded")
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name != "model-00003-of-00006.safetensors" {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: dir.path + "/" + name)
        }
        do {
            _ = try LlamaDirectory.load(from: dir.path)
            Issue.record("a folder missing a shard loaded")
        } catch {
            #expect("\(error)".contains("model-00003-of-00006.safetensors"))
        }
    }
}
