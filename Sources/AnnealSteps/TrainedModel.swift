import AnnealEngine
import AnnealFiles
import AnnealModel
import AnnealText
import Foundation

/// A model folder as the training steps write it: Hugging Face GPT-2 weights
/// (`model.safetensors`, `config.json`) or a PEFT LoRA adapter
/// (`adapter_config.json`, `adapter_model.safetensors`, whose
/// `base_model_name_or_path` names the base model folder), with its `tokenizer.json`.
public struct TrainedModel {
    /// The network, with adapters attached when the folder holds an adapter.
    public let network: GPT
    public let tokenizer: BPETokenizer
    /// The folder it was read from.
    public let directory: String

    /// Reads the model and tokenizer in `directory`.
    public static func load(_ directory: String, seed: UInt64 = 0) throws -> TrainedModel {
        let fm = FileManager.default
        let tokenizerPath = directory + "/tokenizer.json"
        guard fm.fileExists(atPath: tokenizerPath) else {
            throw StepFailure("\(directory) has no tokenizer.json; give the folder a model step wrote (for example ${pretrain.model})")
        }
        let tokenizer = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: tokenizerPath))
        let network: GPT
        if fm.fileExists(atPath: directory + "/adapter_config.json") {
            let base = try adapterBase(directory)
            network = try LoRAAdapterFiles.load(from: directory, base: try ModelDirectory.load(from: base), seed: seed)
        } else {
            network = try ModelDirectory.load(from: directory, seed: seed)
        }
        guard network.config.vocabulary >= tokenizer.vocabularySize else {
            throw StepFailure("\(directory): the model has \(network.config.vocabulary) token embeddings but tokenizer.json has \(tokenizer.vocabularySize) tokens; they do not belong together")
        }
        return TrainedModel(network: network, tokenizer: tokenizer, directory: directory)
    }

    /// The base model folder an adapter folder names.
    static func adapterBase(_ directory: String) throws -> String {
        let path = directory + "/adapter_config.json"
        guard let data = FileManager.default.contents(atPath: path),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let base = json["base_model_name_or_path"] as? String, !base.isEmpty else {
            throw StepFailure("\(path): no base_model_name_or_path; an adapter needs the folder of its base model")
        }
        guard FileManager.default.fileExists(atPath: base + "/config.json") else {
            throw StepFailure("\(path): the base model \(base) is gone; rerun the step that made it, or save SFT with merge_lora: true")
        }
        return base
    }

    /// The ids written to config.json and generation_config.json: GPT-2 style
    /// `<|endoftext|>` as BOS, EOS and padding, and `<|im_end|>` too as EOS when present.
    static func specialTokens(_ tokenizer: BPETokenizer) -> ModelDirectory.SpecialTokens {
        let eot = tokenizer.tokenId(forSpecial: "<|endoftext|>")
        return ModelDirectory.SpecialTokens(bos: eot, eos: eot, pad: eot)
    }

    /// Writes `network` as a full model folder with a byte copy of `tokenizerFile` beside it.
    static func save(_ network: GPT, tokenizer: BPETokenizer, tokenizerFile: String, to directory: String) throws {
        try ModelDirectory.save(network, to: directory, tokens: specialTokens(tokenizer))
        try copyTokenizer(tokenizerFile, to: directory)
    }

    /// Copies a tokenizer.json into a model or adapter folder.
    static func copyTokenizer(_ tokenizerFile: String, to directory: String) throws {
        guard let bytes = FileManager.default.contents(atPath: tokenizerFile) else {
            throw StepFailure("cannot read \(tokenizerFile)")
        }
        try AtomicFile.write(bytes, to: directory + "/tokenizer.json")
    }
}
