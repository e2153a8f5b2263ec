import Foundation

/// A Hugging Face folder of a `LlamaForCausalLM` or `Qwen2ForCausalLM`:
/// config.json, generation_config.json and the weights (one
/// `model.safetensors` or sharded with `model.safetensors.index.json`; F32,
/// F16 or BF16, read as Float32). Tensor names and [out, in] layouts are those
/// of `transformers`, so nothing is renamed or transposed.
public enum LlamaDirectory {
    /// Reads a folder written by `save_pretrained` or by `save`.
    public static func load(from directory: String) throws -> Llama {
        let configPath = directory + "/config.json"
        let config = try LlamaConfig(huggingFace: try readJSON(configPath, required: true)!, path: configPath)
        let checkpoint = try SafetensorsCheckpoint(directory: directory)
        // Check sizes against the files before allocating, so a config with absurd sizes fails here.
        guard config.parameterCount <= checkpoint.elementCount else {
            throw ModelError.invalidFile(path: configPath, reason: "the config needs \(config.parameterCount) weights but the safetensors files hold \(checkpoint.elementCount); config.json does not describe these weights")
        }
        let specs = Llama.parameterSpecs(config: config)
        let expected = Set(specs.map(\.name))
        for spec in specs {
            guard let stored = checkpoint.tensors[spec.name] else { throw ModelError.missingTensor(path: directory, name: spec.name) }
            guard stored.info.shape == spec.shape else {
                throw ModelError.shapeMismatch(path: stored.file.path, name: spec.name, expected: spec.shape, found: stored.info.shape)
            }
        }
        // A tied head may still be stored; rotary frequency buffers of older files are recomputed.
        for name in checkpoint.tensors.keys.sorted() where !expected.contains(name) {
            if name == "lm_head.weight" && config.tiedEmbeddings || name.hasSuffix(".rotary_emb.inv_freq") { continue }
            throw ModelError.invalidFile(path: checkpoint.tensors[name]!.file.path, reason: "tensor '\(name)' is not part of the model config.json describes (check attention_bias, mlp_bias and tie_word_embeddings)")
        }
        let model = try Llama(config: config, initialSeed: nil)
        for spec in specs { model.parameters.set(spec.name, try checkpoint.floats(spec.name)) }
        let json = try readJSON(configPath, required: true)!
        let generation = try readJSON(directory + "/generation_config.json", required: false) ?? [:]
        func ids(_ key: String) -> [Int] {
            let raw = generation[key] ?? json[key]
            if let list = raw as? [Any] { return list.compactMap(SafetensorsFile.integer) }
            return raw.flatMap(SafetensorsFile.integer).map { [$0] } ?? []
        }
        model.specialTokens = ModelDirectory.SpecialTokens(bos: ids("bos_token_id").first, eos: ids("eos_token_id").first,
                                                           pad: ids("pad_token_id").first)
        model.stopTokens = Set(ids("eos_token_id").map(Int32.init))
        return model
    }

    /// Writes config.json, generation_config.json and one F32 model.safetensors,
    /// each through a temporary file renamed into place.
    public static func save(_ model: Llama, to directory: String, tokens: ModelDirectory.SpecialTokens? = nil) throws {
        let tokens = tokens ?? model.specialTokens
        try ModelDirectory.createDirectory(directory)
        let arrays = model.parameters.entries.map { (name: $0.name, shape: $0.shape, values: model.parameters.array($0.name)) }
        try ModelDirectory.writeTensors(arrays, to: directory + "/" + SafetensorsCheckpoint.singleFile)
        try ModelDirectory.writeJSON(model.config.huggingFaceJSON(tokens: tokens), to: directory + "/config.json")
        var generation: [String: Any] = ["_from_model_config": true]
        if let bos = tokens.bos { generation["bos_token_id"] = bos }
        let stops = model.stopTokens.map(Int.init).sorted()
        if stops.count > 1, tokens.eos == nil || stops.contains(tokens.eos!) {
            generation["eos_token_id"] = stops
        } else if let eos = tokens.eos {
            generation["eos_token_id"] = eos
        }
        if let pad = tokens.pad { generation["pad_token_id"] = pad }
        try ModelDirectory.writeJSON(generation, to: directory + "/generation_config.json")
    }

    static func readJSON(_ path: String, required: Bool) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if !required { return nil }
            throw ModelError.io(path: path, reason: "cannot read the file; is this a model folder?")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.invalidFile(path: path, reason: "not a JSON object")
        }
        return json
    }
}
