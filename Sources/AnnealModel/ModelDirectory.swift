import AnnealFiles
import Foundation

/// A Hugging Face-style model directory: `model.safetensors` (GPT-2 tensor
/// names with the `transformer.` prefix, Conv1D weights [in, out], the tied
/// `lm_head` omitted), `config.json` (`model_type: gpt2`) and
/// `generation_config.json`. `transformers` loads it as `GPT2LMHeadModel`
/// (or `GPT2ForSequenceClassification` when it has the scalar head).
public enum ModelDirectory {
    /// Token ids written to config.json and generation_config.json.
    public struct SpecialTokens: Codable, Equatable, Sendable {
        public var bos: Int?
        public var eos: Int?
        public var pad: Int?
        public init(bos: Int? = nil, eos: Int? = nil, pad: Int? = nil) {
            self.bos = bos
            self.eos = eos
            self.pad = pad
        }
    }

    static let weightsFile = "model.safetensors"

    /// Writes the model. Adapters are merged into the written weights (the
    /// model itself is unchanged); use `LoRAAdapterFiles` to save them apart.
    public static func save(_ model: GPT, to directory: String, tokens: SpecialTokens = SpecialTokens()) throws {
        try createDirectory(directory)
        var arrays: [(name: String, shape: [Int], values: [Float])] = []
        for e in model.parameters.entries where !e.name.contains(".lora_") {
            var values = model.parameters.array(e.name)
            if model.lora != nil, let module = loraModule(of: e.name) {
                values = model.mergedWeight(layer: module.layer, module: module.module)
            }
            arrays.append((hubName(e.name), e.shape, values))
        }
        try writeTensors(arrays, to: directory + "/" + weightsFile)
        try writeJSON(configJSON(model, tokens: tokens, extras: [:]), to: directory + "/config.json")
        var generation: [String: Any] = ["_from_model_config": true, "transformers_version": "4.46.0"]
        if let bos = tokens.bos { generation["bos_token_id"] = bos }
        if let eos = tokens.eos { generation["eos_token_id"] = eos }
        if let pad = tokens.pad { generation["pad_token_id"] = pad }
        try writeJSON(generation, to: directory + "/generation_config.json")
    }

    /// Reads a model directory written by `save` or by Hugging Face
    /// (`GPT2LMHeadModel`, `GPT2Model` or `GPT2ForSequenceClassification` with
    /// one label; names with or without `transformer.`; `attn.bias` buffers ignored).
    /// With `lora` the adapters are added fresh on top of the loaded weights.
    public static func load(from directory: String, lora: LoRAConfig? = nil, seed: UInt64 = 0) throws -> GPT {
        let (config, json) = try readConfig(directory)
        let path = directory + "/" + weightsFile
        let file = try SafetensorsFile(contentsOf: path)
        var tensors: [String: SafetensorsFile.TensorInfo] = [:]
        for t in file.tensors {
            let name = t.name.hasPrefix("transformer.") ? String(t.name.dropFirst("transformer.".count)) : t.name
            if name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias") || name == "lm_head.weight" { continue }
            tensors[name] = t
        }
        let scalarHead = tensors["score.weight"] != nil
        let storedLoRA = lora ?? (json["anneal_lora"] as? [String: Any]).flatMap(loraConfig)
        try storedLoRA?.validate()
        // Check sizes against the file before building anything, so a config
        // with absurd sizes fails here instead of in the allocator.
        let c = Double(config.width), needed = Double(config.vocabulary + config.context) * c + Double(config.layers) * 12 * c * c
        let held = file.tensors.reduce(0.0) { $0 + Double($1.byteRange.count) / Double($1.dtype.size) }
        guard needed <= held else {
            throw ModelError.invalidFile(path: directory + "/config.json",
                                         reason: "the config needs about \(String(format: "%.3g", needed)) weights but model.safetensors holds \(String(format: "%.3g", held)); config.json does not describe these weights")
        }
        let specs = GPT.parameterSpecs(config: config, lora: storedLoRA, scalarHead: scalarHead)
        for spec in specs {
            guard let t = tensors[spec.name] else {
                // Fresh adapters are allowed when the caller asked for new ones.
                if spec.name.contains(".lora_") && lora != nil { continue }
                throw ModelError.missingTensor(path: path, name: spec.name)
            }
            guard t.shape == spec.shape else {
                throw ModelError.shapeMismatch(path: path, name: t.name, expected: spec.shape, found: t.shape)
            }
        }
        let model = try GPT(config: config, lora: storedLoRA, scalarHead: scalarHead, seed: seed)
        for e in model.parameters.entries {
            guard let t = tensors[e.name] else { continue }
            model.parameters.set(e.name, try file.floats(t.name))
        }
        return model
    }

    /// The GPT config from `config.json` (Hugging Face GPT-2 keys), with the parsed JSON.
    public static func readConfig(_ directory: String) throws -> (GPTConfig, [String: Any]) {
        let path = directory + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.io(path: path, reason: "cannot read config.json; is this a model directory?")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.invalidFile(path: path, reason: "config.json is not a JSON object")
        }
        if let type = json["model_type"] as? String, type != "gpt2" {
            throw ModelError.invalidFile(path: path, reason: "model_type is '\(type)'; only gpt2 models can be read")
        }
        func field(_ key: String, _ fallback: String? = nil) throws -> Int {
            if let v = json[key].flatMap(SafetensorsFile.integer) { return v }
            if let fallback, let v = json[fallback].flatMap(SafetensorsFile.integer) { return v }
            throw ModelError.invalidFile(path: path, reason: "config.json lacks the integer field '\(key)'")
        }
        // Options that would change the architecture this implementation computes.
        if let inner = json["n_inner"].flatMap(SafetensorsFile.integer), inner != 4 * (try field("n_embd")) {
            throw ModelError.invalidFile(path: path, reason: "n_inner is \(inner); only the 4x MLP (n_inner null or 4 n_embd) is supported")
        }
        if let activation = json["activation_function"] as? String, !["gelu_new", "gelu_pytorch_tanh"].contains(activation) {
            throw ModelError.invalidFile(path: path, reason: "activation_function is '\(activation)'; only the tanh GELU (gelu_new) is supported")
        }
        if (json["scale_attn_by_inverse_layer_idx"] as? Bool) == true || (json["scale_attn_weights"] as? Bool) == false {
            throw ModelError.invalidFile(path: path, reason: "attention scaling other than 1/sqrt(head size) is not supported")
        }
        if let epsilon = (json["layer_norm_epsilon"] as? NSNumber)?.doubleValue, abs(epsilon - 1e-5) > 1e-12 {
            throw ModelError.invalidFile(path: path, reason: "layer_norm_epsilon is \(epsilon); only 1e-5 is supported")
        }
        let config = GPTConfig(layers: try field("n_layer"), heads: try field("n_head"), width: try field("n_embd"),
                               context: try field("n_positions", "n_ctx"), vocabulary: try field("vocab_size"))
        do { try config.validate() } catch {
            throw ModelError.invalidFile(path: path, reason: "\(error)")
        }
        return (config, json)
    }

    // MARK: - Shared with the checkpoint and adapter writers

    static func hubName(_ name: String) -> String {
        name.hasPrefix("score.") ? name : "transformer." + name
    }

    /// (layer, module) for a base projection weight name like `h.3.attn.c_attn.weight`.
    static func loraModule(of name: String) -> (layer: Int, module: String)? {
        let parts = name.split(separator: ".")
        guard parts.count == 5, parts[0] == "h", let layer = Int(parts[1]), parts[4] == "weight" else { return nil }
        return (layer, parts[2] + "." + parts[3])
    }

    static func configJSON(_ model: GPT, tokens: SpecialTokens, extras: [String: Any]) -> [String: Any] {
        let c = model.config
        var json: [String: Any] = [
            "model_type": "gpt2",
            "architectures": [model.hasScalarHead ? "GPT2ForSequenceClassification" : "GPT2LMHeadModel"],
            "n_embd": c.width, "n_layer": c.layers, "n_head": c.heads,
            "n_positions": c.context, "n_ctx": c.context, "vocab_size": c.vocabulary,
            "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
            "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0, "summary_first_dropout": 0.0,
            "initializer_range": 0.02, "tie_word_embeddings": true, "scale_attn_weights": true,
            "use_cache": true, "torch_dtype": "float32",
        ]
        if model.hasScalarHead {
            json["num_labels"] = 1
            json["id2label"] = ["0": "LABEL_0"]
            json["label2id"] = ["LABEL_0": 0]
        }
        // Explicit nulls: transformers would otherwise assume GPT-2's 50256.
        json["bos_token_id"] = tokens.bos.map { $0 as Any } ?? NSNull()
        json["eos_token_id"] = tokens.eos.map { $0 as Any } ?? NSNull()
        json["pad_token_id"] = tokens.pad.map { $0 as Any } ?? NSNull()
        for (k, v) in extras { json[k] = v }
        return json
    }

    static func loraJSON(_ lora: LoRAConfig) -> [String: Any] {
        ["r": lora.rank, "lora_alpha": Double(lora.alpha), "lora_dropout": Double(lora.dropout),
         "target_modules": lora.targets.map(\.rawValue)]
    }

    static func loraConfig(_ json: [String: Any]) -> LoRAConfig? {
        guard let r = json["r"].flatMap(SafetensorsFile.integer), let alpha = (json["lora_alpha"] as? NSNumber)?.floatValue,
              let names = json["target_modules"] as? [String] else { return nil }
        let targets = names.compactMap(LoRAConfig.Target.init(rawValue:))
        guard targets.count == names.count else { return nil }
        return LoRAConfig(rank: r, alpha: alpha, dropout: (json["lora_dropout"] as? NSNumber)?.floatValue ?? 0, targets: targets)
    }

    static func writeTensors(_ arrays: [(name: String, shape: [Int], values: [Float])], to path: String) throws {
        // Keep the arrays alive while their buffers are written.
        var buffers: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)] = []
        var storage: [UnsafeMutableBufferPointer<Float>] = []
        defer { storage.forEach { $0.deallocate() } }
        for a in arrays {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: a.values.count)
            _ = b.initialize(from: a.values)
            storage.append(b)
            buffers.append((a.name, a.shape, UnsafeBufferPointer(b)))
        }
        try SafetensorsFile.write(buffers, to: path)
    }

    static func writeJSON(_ object: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write([UInt8](data) + [10], to: path)
    }

    static func createDirectory(_ directory: String) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw ModelError.io(path: directory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
    }
}
