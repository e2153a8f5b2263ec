import AnnealTensor

/// Clipping by the global L2 norm of all trainable gradients.
public enum GradientClipping {
    /// The L2 norm over trainable gradients, summed in a fixed order.
    public static func globalNorm(_ parameters: ParameterStore) -> Float {
        var total: Double = 0
        for e in parameters.entries where e.trainable {
            let g = parameters.gradients.pointer + e.offset
            total += Double(VectorMath.dot(g, g, count: e.count))
        }
        return Float(total.squareRoot())
    }

    /// Scales the gradients so their global norm is at most `maxNorm`;
    /// returns the norm before clipping (for logging).
    @discardableResult
    public static func clip(_ parameters: ParameterStore, maxNorm: Float) -> Float {
        let norm = globalNorm(parameters)
        if norm > maxNorm, norm.isFinite {
            let scale = maxNorm / (norm + 1e-6)
            for e in parameters.entries where e.trainable {
                let g = parameters.gradients.pointer + e.offset
                VectorMath.scaleInPlace(g, by: scale, count: e.count)
            }
        }
        return norm
    }
}
