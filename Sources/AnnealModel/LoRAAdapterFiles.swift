import Foundation

/// LoRA adapters saved apart from the base model in the PEFT layout:
/// `adapter_config.json` and `adapter_model.safetensors` with tensors named
/// `base_model.model.transformer.h.N.<module>.lora_A.weight` [rank, in] and
/// `lora_B.weight` [out, rank] (`fan_in_fan_out: true`, as GPT-2's Conv1D needs).
public enum LoRAAdapterFiles {
    static let prefix = "base_model.model.transformer."

    /// Writes the adapters of `model` (which must have LoRA) to `directory`.
    public static func save(_ model: GPT, to directory: String, baseModel: String = "") throws {
        guard let lora = model.lora else {
            throw ModelError.invalidInput("the model has no LoRA adapters to save")
        }
        try ModelDirectory.createDirectory(directory)
        let arrays = model.adapterNames.map { name in
            (name: prefix + name, shape: model.parameters.entry(name)!.shape, values: model.parameters.array(name))
        }
        try ModelDirectory.writeTensors(arrays, to: directory + "/adapter_model.safetensors")
        let config: [String: Any] = [
            "peft_type": "LORA", "task_type": model.hasScalarHead ? "SEQ_CLS" : "CAUSAL_LM",
            "r": lora.rank, "lora_alpha": Double(lora.alpha), "lora_dropout": Double(lora.dropout),
            "target_modules": lora.targets.map(\.rawValue), "fan_in_fan_out": true, "bias": "none",
            "inference_mode": true, "base_model_name_or_path": baseModel, "init_lora_weights": true,
        ]
        try ModelDirectory.writeJSON(config, to: directory + "/adapter_config.json")
    }

    /// The LoRA config of an adapter directory.
    public static func readConfig(_ directory: String) throws -> LoRAConfig {
        let path = directory + "/adapter_config.json"
        guard let data = FileManager.default.contents(atPath: path),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.io(path: path, reason: "cannot read adapter_config.json as a JSON object")
        }
        guard (json["peft_type"] as? String) == "LORA", let config = ModelDirectory.loraConfig(json) else {
            throw ModelError.invalidFile(path: path, reason: "not a LoRA adapter config this library can read (peft_type LORA, r, lora_alpha, target_modules among c_attn, attn.c_proj, c_fc, mlp.c_proj)")
        }
        try config.validate()
        return config
    }

    /// A model made of `base`'s weights plus the adapters stored in `directory`.
    public static func load(from directory: String, base: GPT, seed: UInt64 = 0) throws -> GPT {
        let lora = try readConfig(directory)
        let model = try GPT(config: base.config, lora: lora, scalarHead: base.hasScalarHead, seed: seed)
        model.parameters.copyMatching(from: base.parameters)
        let path = directory + "/adapter_model.safetensors"
        let file = try SafetensorsFile(contentsOf: path)
        for name in model.adapterNames {
            guard let info = file.info(prefix + name) else { throw ModelError.missingTensor(path: path, name: prefix + name) }
            let expected = model.parameters.entry(name)!.shape
            guard info.shape == expected else {
                throw ModelError.shapeMismatch(path: path, name: info.name, expected: expected, found: info.shape)
            }
            model.parameters.set(name, try file.floats(info.name))
        }
        return model
    }
}
