import Foundation

/// PPO's clipped surrogate for one token: with `ρ = exp(logp − old_logp)`,
///
///   L = max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε))
///
/// whose gradient with respect to `logp` is `−A·ρ` where the unclipped term
/// is the larger, and 0 where clipping holds the ratio.
public struct ClippedPolicyLoss: Sendable {
    public var clipRange: Double

    public init(clipRange: Double = 0.2) {
        self.clipRange = clipRange
    }

    public struct Result: Sendable, Equatable {
        public var loss: Double
        /// ∂L/∂logp.
        public var gradient: Double
        /// Whether the clipped term was the one used.
        public var clipped: Bool
        /// `½(logp − old_logp)²`, the approximate KL PPO logs.
        public var approximateKL: Double
    }

    public func evaluate(logProbability: Double, oldLogProbability: Double, advantage: Double) -> Result {
        let logRatio = logProbability - oldLogProbability
        let ratio = exp(logRatio)
        let unclipped = -advantage * ratio
        let clippedRatio = min(max(ratio, 1 - clipRange), 1 + clipRange)
        let clipped = -advantage * clippedRatio
        let useClipped = clipped > unclipped
        return Result(loss: max(unclipped, clipped),
                      gradient: useClipped ? 0 : -advantage * ratio,
                      clipped: useClipped,
                      approximateKL: 0.5 * logRatio * logRatio)
    }
}

/// PPO's clipped value loss for one token: with `v_c = old_v + clip(v − old_v, −ε, ε)`,
///
///   L = ½·max((v − R)², (v_c − R)²)
public struct ClippedValueLoss: Sendable {
    public var clipRange: Double

    public init(clipRange: Double = 0.2) {
        self.clipRange = clipRange
    }

    public struct Result: Sendable, Equatable {
        public var loss: Double
        /// ∂L/∂v.
        public var gradient: Double
        public var clipped: Bool
    }

    public func evaluate(value: Double, oldValue: Double, target: Double) -> Result {
        let delta = value - oldValue
        let clippedValue = oldValue + min(max(delta, -clipRange), clipRange)
        let a = (value - target) * (value - target)
        let b = (clippedValue - target) * (clippedValue - target)
        if b > a {
            // The clipped value does not move with v inside the clip range's edge.
            let inside = delta > -clipRange && delta < clipRange
            return Result(loss: 0.5 * b, gradient: inside ? (clippedValue - target) : 0, clipped: true)
        }
        return Result(loss: 0.5 * a, gradient: value - target, clipped: false)
    }
}
