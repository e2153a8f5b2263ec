import Foundation

extension LlamaConfig {
    /// Reads a `transformers` config.json of `model_type` llama or qwen2
    /// (`path` names the file in errors). Both the `rope_theta` + `rope_scaling`
    /// layout and the `rope_parameters` object of transformers 5 are read.
    /// Fields whose values would make `transformers` compute something this
    /// implementation does not are refused, naming the field.
    public init(huggingFace json: [String: Any], path: String) throws {
        func fail(_ reason: String) -> ModelError { .invalidFile(path: path, reason: reason) }
        let family: Family
        switch json["model_type"] as? String {
        case "llama": family = .llama
        case "qwen2": family = .qwen2
        case let other: throw fail("model_type is \(other.map { "'\($0)'" } ?? "missing"); only llama and qwen2 are supported")
        }
        if let architectures = json["architectures"] as? [String], let first = architectures.first, first != family.architecture {
            throw fail("architectures is [\"\(first)\"]; a \(family.rawValue) model must be \(family.architecture)")
        }
        func integer(_ key: String) throws -> Int {
            guard let v = json[key].flatMap(SafetensorsFile.integer) else { throw fail("the integer field '\(key)' is missing or not an integer") }
            return v
        }
        func optionalInteger(_ key: String) throws -> Int? {
            guard let raw = json[key], !(raw is NSNull) else { return nil }
            guard let v = SafetensorsFile.integer(raw) else { throw fail("'\(key)' is \(raw); it must be an integer") }
            return v
        }
        func number(_ key: String, in object: [String: Any], _ prefix: String = "") throws -> Double? {
            guard let raw = object[key], !(raw is NSNull) else { return nil }
            guard let n = raw as? NSNumber, String(cString: n.objCType) != "c" else { throw fail("'\(prefix)\(key)' is \(raw); it must be a number") }
            return n.doubleValue
        }
        func flag(_ key: String) throws -> Bool {
            guard let raw = json[key], !(raw is NSNull) else { return false }
            guard let b = raw as? Bool else { throw fail("'\(key)' is \(raw); it must be true or false") }
            return b
        }
        if let act = json["hidden_act"] as? String, act != "silu" {
            throw fail("hidden_act is '\(act)'; only silu (SwiGLU) is supported")
        }
        if let dropout = try number("attention_dropout", in: json), dropout != 0 {
            throw fail("attention_dropout is \(dropout); attention dropout is not implemented, set it to 0.0")
        }
        if json["quantization_config"] != nil { throw fail("quantization_config is set; only unquantised F32, F16 and BF16 weights can be read") }
        if family == .qwen2 {
            if try flag("use_sliding_window") { throw fail("use_sliding_window is true; sliding-window attention is not implemented") }
            if let types = json["layer_types"] as? [String], let other = types.first(where: { $0 != "full_attention" }) {
                throw fail("layer_types holds '\(other)'; only full_attention layers are supported")
            }
        }

        // RoPE: transformers 5 keeps theta and scaling in rope_parameters; older files use rope_theta and rope_scaling.
        var rope: [String: Any] = [:]
        var ropeField = "rope_scaling"
        if let parameters = json["rope_parameters"] as? [String: Any] {
            rope = parameters
            ropeField = "rope_parameters"
        } else if let scaling = json["rope_scaling"] as? [String: Any] {
            rope = scaling
        }
        let theta = try number("rope_theta", in: rope, ropeField + ".") ?? number("rope_theta", in: json) ?? 10_000
        let ropeType = (rope["rope_type"] as? String) ?? (rope["type"] as? String) ?? "default"
        if let partial = try number("partial_rotary_factor", in: rope, ropeField + ".") ?? number("partial_rotary_factor", in: json),
           partial != 1 {
            throw fail("partial_rotary_factor is \(partial); only rotating whole heads (1.0) is supported")
        }
        let context = try integer("max_position_embeddings")
        let scaling: RopeScaling
        switch ropeType {
        case "default":
            scaling = .none
        case "linear":
            guard let factor = try number("factor", in: rope, ropeField + ".") else { throw fail("\(ropeField).factor is missing for rope_type linear") }
            scaling = .linear(factor: factor)
        case "llama3":
            guard let factor = try number("factor", in: rope, ropeField + "."),
                  let low = try number("low_freq_factor", in: rope, ropeField + "."),
                  let high = try number("high_freq_factor", in: rope, ropeField + ".") else {
                throw fail("\(ropeField) of rope_type llama3 needs factor, low_freq_factor and high_freq_factor")
            }
            let original = rope["original_max_position_embeddings"].flatMap(SafetensorsFile.integer) ?? context
            scaling = .llama3(factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high, originalContext: original)
        default:
            throw fail("\(ropeField).rope_type is '\(ropeType)'; only default, linear and llama3 are supported")
        }

        let heads = try integer("num_attention_heads")
        self.init(family: family, layers: try integer("num_hidden_layers"), heads: heads,
                  keyValueHeads: try optionalInteger("num_key_value_heads") ?? heads, width: try integer("hidden_size"),
                  headSize: try optionalInteger("head_dim"), intermediate: try integer("intermediate_size"),
                  context: context, vocabulary: try integer("vocab_size"),
                  rmsNormEpsilon: try number("rms_norm_eps", in: json) ?? 1e-6, ropeTheta: theta, ropeScaling: scaling,
                  attentionBias: family == .llama ? try flag("attention_bias") : false,
                  mlpBias: family == .llama ? try flag("mlp_bias") : false,
                  tiedEmbeddings: try flag("tie_word_embeddings"))
        do { try validate() } catch let error as ModelError {
            if case .invalidConfig(let why) = error { throw fail(why) }
            throw error
        }
    }

    /// config.json for `transformers` (the rope_theta + rope_scaling layout, which
    /// transformers 4 and 5 both read).
    func huggingFaceJSON(tokens: ModelDirectory.SpecialTokens) -> [String: Any] {
        var json: [String: Any] = [
            "architectures": [family.architecture], "model_type": family.rawValue,
            "hidden_size": width, "intermediate_size": intermediate, "num_hidden_layers": layers,
            "num_attention_heads": heads, "num_key_value_heads": keyValueHeads, "head_dim": headSize,
            "max_position_embeddings": context, "vocab_size": vocabulary, "rms_norm_eps": rmsNormEpsilon,
            "hidden_act": "silu", "tie_word_embeddings": tiedEmbeddings, "rope_theta": ropeTheta,
            "attention_dropout": 0.0, "initializer_range": 0.02, "use_cache": true, "torch_dtype": "float32",
        ]
        switch ropeScaling {
        case .none: json["rope_scaling"] = NSNull()
        case .linear(let factor): json["rope_scaling"] = ["rope_type": "linear", "factor": factor]
        case .llama3(let factor, let low, let high, let original):
            json["rope_scaling"] = ["rope_type": "llama3", "factor": factor, "low_freq_factor": low, "high_freq_factor": high,
                                    "original_max_position_embeddings": original]
        }
        if family == .llama {
            json["attention_bias"] = queryKeyValueBias
            json["mlp_bias"] = mlpBias
        } else {
            json["use_sliding_window"] = false
        }
        json["bos_token_id"] = tokens.bos.map { $0 as Any } ?? NSNull()
        json["eos_token_id"] = tokens.eos.map { $0 as Any } ?? NSNull()
        json["pad_token_id"] = tokens.pad.map { $0 as Any } ?? NSNull()
        return json
    }
}
