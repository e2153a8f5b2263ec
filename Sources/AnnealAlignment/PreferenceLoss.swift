import Foundation

/// The direct preference losses of DPO and its variants, on summed sequence
/// log-probabilities, with their gradients with respect to the policy's
/// log-probabilities (the reference is frozen).
///
/// With `x = (π_c − ref_c) − (π_r − ref_r)` (the policy's log-ratio of chosen
/// over rejected, minus the reference's):
///
///   sigmoid: L = −(1−ε)·log σ(βx) − ε·log σ(−βx)     (DPO; ε = label smoothing)
///   ipo:     L = (x − 1/(2β))²                          (IPO)
///   hinge:   L = max(0, 1 − βx)                         (SLiC)
///
/// Implicit rewards are `β(π − ref)` for each answer.
public struct PreferenceLoss: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Decodable {
        case sigmoid, ipo, hinge
    }

    public var kind: Kind
    public var beta: Double
    public var labelSmoothing: Double

    public init(kind: Kind = .sigmoid, beta: Double = 0.1, labelSmoothing: Double = 0) {
        self.kind = kind
        self.beta = beta
        self.labelSmoothing = labelSmoothing
    }

    /// One pair's loss, gradients and logged quantities.
    public struct Result: Sendable, Equatable {
        public var loss: Double
        /// ∂L/∂π_c and ∂L/∂π_r.
        public var gradientChosen: Double
        public var gradientRejected: Double
        public var rewardChosen: Double
        public var rewardRejected: Double

        public var margin: Double { rewardChosen - rewardRejected }
        public var accurate: Bool { rewardChosen > rewardRejected }
    }

    public func evaluate(policyChosen: Double, policyRejected: Double,
                         referenceChosen: Double, referenceRejected: Double) -> Result {
        let x = (policyChosen - referenceChosen) - (policyRejected - referenceRejected)
        let loss: Double
        let dx: Double
        switch kind {
        case .sigmoid:
            let eps = labelSmoothing
            loss = -(1 - eps) * LogSigmoid.value(beta * x) - eps * LogSigmoid.value(-beta * x)
            // d/dz log σ(z) = σ(−z)
            dx = -(1 - eps) * beta * LogSigmoid.sigmoid(-beta * x) + eps * beta * LogSigmoid.sigmoid(beta * x)
        case .ipo:
            let d = x - 1 / (2 * beta)
            loss = d * d
            dx = 2 * d
        case .hinge:
            let h = 1 - beta * x
            loss = max(0, h)
            dx = h > 0 ? -beta : 0
        }
        return Result(loss: loss, gradientChosen: dx, gradientRejected: -dx,
                      rewardChosen: beta * (policyChosen - referenceChosen),
                      rewardRejected: beta * (policyRejected - referenceRejected))
    }
}

/// Numerically stable log σ(z) and σ(z).
public enum LogSigmoid {
    /// log σ(z) = −log(1 + e^(−z)), without overflow for large |z|.
    public static func value(_ z: Double) -> Double {
        z >= 0 ? -log1p(exp(-z)) : z - log1p(exp(z))
    }

    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }
}
