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
        return try checkedFinite(try ModelDirectory.load(from: full, lora: lora, seed: seed), from: directory)
    }

    /// `model` as loaded from `directory`, once every weight is checked to be a
    /// finite number: training from a NaN or an infinity gives a loss of nan at
    /// every step, and the step would still succeed and be cached. One pass over
    /// the weights, cheap next to a single training step.
    static func checkedFinite(_ model: GPT, from directory: String) throws -> GPT {
        let values = model.parameters.values.pointer
        for entry in model.parameters.entries {
            let weights = UnsafeBufferPointer(start: values + entry.offset, count: entry.count)
            guard let index = weights.firstIndex(where: { !$0.isFinite }) else { continue }
            let bad = weights.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
            throw StepFailure("\(directory): the weight tensor '\(entry.name)' holds \(weights[index]) at index \(index) "
                              + "(\(bad) of its \(entry.count) values are not finite numbers); the model is damaged, "
                              + "so training from it would give a loss of nan. Start from another model, or rerun the step "
                              + "that wrote it (with a lower learning rate if its own loss became nan)")
        }
        return model
    }
}
