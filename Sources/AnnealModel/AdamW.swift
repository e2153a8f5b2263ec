import AnnealTensor

/// AdamW with decoupled weight decay (as `torch.optim.AdamW`): decay applies
/// only to entries whose `decays` flag is set (matrices and embeddings, not
/// biases or LayerNorm), and frozen entries are left untouched.
public final class AdamW {
    public struct Config: Codable, Equatable, Sendable {
        public var beta1: Float
        public var beta2: Float
        public var epsilon: Float
        public var weightDecay: Float
        public init(beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8, weightDecay: Float = 0.1) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    public let config: Config
    /// Updates taken so far (the bias-correction step t).
    public internal(set) var step = 0
    /// First and second moments, in the parameter buffer layout.
    public let firstMoment: Tensor
    public let secondMoment: Tensor

    public init(parameters: ParameterStore, config: Config = Config()) {
        self.config = config
        firstMoment = Tensor(shape: [parameters.values.count])
        secondMoment = Tensor(shape: [parameters.values.count])
    }

    /// One update of every trainable tensor from `parameters.gradients`.
    public func update(_ parameters: ParameterStore, learningRate lr: Float) {
        precondition(parameters.values.count == firstMoment.count, "AdamW: optimiser built for another model")
        step += 1
        let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
        let correction1 = 1 - powf(b1, Float(step)), correction2 = 1 - powf(b2, Float(step))
        let p = parameters.values.pointer, g = parameters.gradients.pointer
        let m = firstMoment.pointer, v = secondMoment.pointer
        for e in parameters.entries where e.trainable {
            let decay: Float = e.decays ? 1 - lr * config.weightDecay : 1
            let base = e.offset
            ComputeThreads.forEachChunk(rows: e.count, minimumRowsPerChunk: 16_384) { range in
                for i in range {
                    let j = base + i
                    let gi = g[j]
                    let mi = b1 * m[j] + (1 - b1) * gi
                    let vi = b2 * v[j] + (1 - b2) * gi * gi
                    m[j] = mi
                    v[j] = vi
                    p[j] = p[j] * decay - lr * (mi / correction1) / ((vi / correction2).squareRoot() + eps)
                }
            }
        }
    }

    private func powf(_ x: Float, _ y: Float) -> Float { Float(Foundation_pow(Double(x), Double(y))) }
}

#if canImport(Glibc)
import Glibc
private func Foundation_pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
import Darwin
private func Foundation_pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
