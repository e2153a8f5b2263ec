import Foundation

/// Per-token KL estimates between the policy and the reference on the
/// policy's own samples, from `d = logp − ref_logp`:
///
///   k1 = d                      (unbiased, can be negative)
///   k3 = (e^(−d) − 1) + d       (unbiased and never negative)
public enum KLEstimator: String, Sendable, CaseIterable, Decodable {
    case k1, k3

    public func estimate(logProbability: Double, referenceLogProbability: Double) -> Double {
        let d = logProbability - referenceLogProbability
        switch self {
        case .k1: return d
        case .k3: return (exp(-d) - 1) + d
        }
    }
}

/// The adaptive KL coefficient of Ziegler et al.: it grows when the measured
/// KL is above the target and shrinks when below, by at most 20 % of the
/// error per horizon of samples.
public struct AdaptiveKLController: Sendable, Equatable {
    public private(set) var coefficient: Double
    public var target: Double
    public var horizon: Double

    public init(initial: Double, target: Double, horizon: Double = 10_000) {
        coefficient = initial
        self.target = target
        self.horizon = horizon
    }

    /// Updates the coefficient after `samples` responses with mean KL `kl`.
    public mutating func update(kl: Double, samples: Int) {
        let error = min(max(kl / target - 1, -0.2), 0.2)
        coefficient *= 1 + error * Double(samples) / horizon
    }
}
