import Foundation
import Testing
@testable import AnnealModel

/// The config.json files of published checkpoints (SmolLM2-135M, TinyLlama
/// 1.1B, Llama 3.2 1B, Qwen2.5-0.5B; their shapes, typed in here) parse to the
/// right configs, including 128k-token contexts, and the parameter counts
/// equal the published ones.
struct LlamaConfigTests {
    func parse(_ text: String) throws -> LlamaConfig {
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        return try LlamaConfig(huggingFace: json, path: "config.json")
    }

    @Test func smolLM2() throws {
        let config = try parse("""
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 0,
             "eos_token_id": 0, "hidden_act": "silu", "hidden_size": 576, "initializer_range": 0.041666666666666664,
             "intermediate_size": 1536, "is_llama_config": true, "max_position_embeddings": 8192, "model_type": "llama",
             "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3, "pretraining_tp": 1,
             "rms_norm_eps": 1e-05, "rope_interleaved": false, "rope_scaling": null, "rope_theta": 100000,
             "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 49152}
            """)
        #expect(config.headSize == 64 && config.keyValueHeads == 3 && config.ropeTheta == 100_000 && config.ropeScaling == .none)
        #expect(config.parameterCount == 134_515_008)
    }

    @Test func tinyLlama() throws {
        let config = try parse("""
            {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 5632, "max_position_embeddings": 2048,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 22, "num_key_value_heads": 4,
             "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": null, "tie_word_embeddings": false,
             "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 32000}
            """)
        #expect(config.ropeTheta == 10_000 && !config.tiedEmbeddings && !config.queryKeyValueBias)
        #expect(config.parameterCount == 1_100_048_384)
    }

    @Test func llama32() throws {
        let config = try parse("""
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
             "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
             "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true,
             "vocab_size": 128256}
            """)
        #expect(config.context == 131_072)
        #expect(config.ropeScaling == .llama3(factor: 32, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 8192))
        #expect(config.parameterCount == 1_235_814_400)
    }

    @Test func qwen25() throws {
        let config = try parse("""
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
             "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24, "model_type": "qwen2",
             "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
             "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
             "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
            """)
        #expect(config.family == .qwen2 && config.queryKeyValueBias && !config.outputBias && config.rmsNormEpsilon == 1e-6)
        #expect(config.parameterCount == 494_032_768)
    }

    @Test func llama3InverseFrequenciesKeepInterpolateAndDivide() {
        // hs 8, theta 10000: frequencies 1, 0.1, 0.01, 0.001 (wavelengths 6.3, 63, 628, 6283);
        // original context 100, high factor 4 (wavelength 25), low factor 1 (wavelength 100).
        let scaling = RopeScaling.llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 100)
        let f = scaling.inverseFrequencies(theta: 10_000, headSize: 8)
        let plain = RopeScaling.none.inverseFrequencies(theta: 10_000, headSize: 8)
        #expect(f[0] == plain[0])
        let smooth = (100 / (2 * Double.pi / Double(plain[1])) - 1) / 3
        #expect(abs(Double(f[1]) - ((1 - smooth) * Double(plain[1]) / 8 + smooth * Double(plain[1]))) < 1e-8)
        #expect(f[2] == plain[2] / 8 && f[3] == plain[3] / 8)
        #expect(RopeScaling.linear(factor: 2).inverseFrequencies(theta: 10_000, headSize: 8) == plain.map { $0 / 2 })
    }
}
