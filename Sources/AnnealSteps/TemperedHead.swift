import AnnealModel

/// Sampling at temperature T is softmax(z / T) for logits z = ln_f(x) · wteᵀ.
/// Dividing the final LayerNorm's weight and bias by T divides z by T
/// exactly, so a "tempered" copy of a model samples, scores and is
/// differentiated at temperature T with the ordinary temperature-1 code:
/// PPO's log-probabilities then match the distribution it samples from.
/// `restore` multiplies them back before the model is saved.
enum TemperedHead {
    static func apply(_ model: GPT, temperature: Float) { scale(model, by: 1 / temperature) }

    static func restore(_ model: GPT, temperature: Float) { scale(model, by: temperature) }

    private static func scale(_ model: GPT, by factor: Float) {
        guard factor != 1 else { return }
        for name in ["ln_f.weight", "ln_f.bias"] {
            let p = model.parameters.pointer(name)
            for i in 0..<model.config.width { p[i] *= factor }
        }
    }
}
