import Foundation
import Testing
import AnnealTensor
@testable import AnnealModel

/// Adapters start neutral, train only themselves, merge into the base without
/// changing the function, export merged as a plain GPT-2 directory, and
/// round-trip through the PEFT layout.
struct LoRATests {
    let tokens = TinyModel.tokens(10, seed: 1)
    let lora = LoRAConfig(rank: 2, alpha: 8, dropout: 0, targets: LoRAConfig.Target.allCases)

    func logits(_ model: GPT) throws -> [Float] {
        try model.forward(tokens: tokens, batch: 2, length: 5)
        return Array(model.logits)
    }

    /// A base model and a LoRA model on top of it with trained-looking (non-zero) B.
    func adapted() throws -> (base: GPT, model: GPT) {
        let base = try GPT(config: TinyModel.config, seed: 3)
        let model = try GPT(config: TinyModel.config, lora: lora, seed: 4)
        model.parameters.copyMatching(from: base.parameters)
        #expect(try logits(model) == logits(base))  // B = 0: neutral at start
        var g = SeededGenerator(seed: 8)
        for name in model.adapterNames where name.contains("lora_B") {
            model.parameters.set(name, (0..<model.parameters.entry(name)!.count).map { _ in g.nextNormal() * 0.1 })
        }
        return (base, model)
    }

    @Test func mergeKeepsTheFunction() throws {
        let (_, model) = try adapted()
        let before = try logits(model)
        model.mergeAdapters()
        let after = try logits(model)
        #expect(zip(before, after).map { abs($0 - $1) }.max()! < 1e-5)
        #expect(model.adapterNames.filter { $0.contains("lora_B") }.allSatisfy { model.parameters.array($0).allSatisfy { $0 == 0 } })
    }

    @Test func mergedExportLoadsAsPlainModel() throws {
        let (_, model) = try adapted()
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try ModelDirectory.save(model, to: dir.path)
        let plain = try ModelDirectory.load(from: dir.path)
        #expect(plain.lora == nil)
        #expect(zip(try logits(plain), try logits(model)).map { abs($0 - $1) }.max()! < 1e-5)
        #expect(try SafetensorsFile(contentsOf: dir.path + "/model.safetensors").tensors.allSatisfy { !$0.name.contains("lora") })
    }

    @Test func peftLayoutRoundTrips() throws {
        let (base, model) = try adapted()
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try LoRAAdapterFiles.save(model, to: dir.path, baseModel: "tiny")
        let file = try SafetensorsFile(contentsOf: dir.path + "/adapter_model.safetensors")
        #expect(file.info("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight")?.shape == [2, 8])
        #expect(file.info("base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight")?.shape == [32, 2])
        let config = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: dir.path + "/adapter_config.json")!) as! [String: Any]
        #expect(config["peft_type"] as? String == "LORA" && config["r"] as? Int == 2 && config["fan_in_fan_out"] as? Bool == true)
        let loaded = try LoRAAdapterFiles.load(from: dir.path, base: base)
        #expect(try logits(loaded) == logits(model))
    }

    @Test func trainingMovesOnlyTheAdapters() throws {
        let (base, model) = try adapted()
        let optimiser = AdamW(parameters: model.parameters)
        model.isTraining = true
        model.parameters.zeroGradients()
        try model.forward(tokens: tokens, targets: TinyModel.tokens(10, seed: 2), batch: 2, length: 5)
        try model.backward(uniformWeight: 0.1)
        let adaptersBefore = model.adapterNames.map { model.parameters.array($0) }
        optimiser.update(model.parameters, learningRate: 1e-2)
        for e in base.parameters.entries { #expect(model.parameters.array(e.name) == base.parameters.array(e.name)) }
        #expect(model.adapterNames.map { model.parameters.array($0) } != adaptersBefore)
    }
}
