import AnnealEngine
import AnnealModel
import Foundation

/// The weights an alignment step starts training from: a full model folder,
/// or an adapter folder merged into its base first (written to a scratch
/// folder), optionally with fresh LoRA adapters on top.
enum StartingModel {
    /// Whether `directory` holds a PEFT adapter rather than full weights.
    static func isAdapter(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/adapter_config.json")
    }

    /// The model in `directory`, merged when it is an adapter, with `lora` adapters added.
    static func load(_ directory: String, lora: LoRAConfig?, seed: UInt64, scratch: String) throws -> GPT {
        var full = directory
        if isAdapter(directory) {
            full = scratch + "/merged-start"
            try ModelDirectory.save(try TrainedModel.load(directory, seed: seed).network, to: full)
        }
        return try ModelDirectory.load(from: full, lora: lora, seed: seed)
    }
}
