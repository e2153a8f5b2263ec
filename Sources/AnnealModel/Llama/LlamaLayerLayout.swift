/// The `ParameterStore` entries of one Llama decoder layer.
struct LlamaLayerLayout {
    /// RMSNorm weights before attention and before the MLP.
    let inputNorm: Int, postAttentionNorm: Int
    let query, key, value, output: LlamaProjectionLayout
    let gate, up, down: LlamaProjectionLayout
}
