/// One projection of a Llama layer: the `ParameterStore` entries of its
/// weight [out, in] (PyTorch layout) and optional bias [out].
struct LlamaProjectionLayout {
    let weight: Int
    let bias: Int?
    let inFeatures: Int
    let outFeatures: Int
}
