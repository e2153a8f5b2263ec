import Foundation

/// The reward model's pairwise loss: `L = −log σ(r_c − r_r − m) + c·(r_c + r_r)²`,
/// where `m` is an optional per-pair margin and `c` the optional centring
/// coefficient that keeps rewards near zero.
public struct BradleyTerryLoss: Sendable {
    public var centeringCoefficient: Double

    public init(centeringCoefficient: Double = 0) {
        self.centeringCoefficient = centeringCoefficient
    }

    public struct Result: Sendable, Equatable {
        public var loss: Double
        /// ∂L/∂r_c and ∂L/∂r_r.
        public var gradientChosen: Double
        public var gradientRejected: Double
    }

    public func evaluate(chosen: Double, rejected: Double, margin: Double = 0) -> Result {
        let z = chosen - rejected - margin
        let s = LogSigmoid.sigmoid(-z)
        let sum = chosen + rejected
        let c = centeringCoefficient
        return Result(loss: -LogSigmoid.value(z) + c * sum * sum,
                      gradientChosen: -s + 2 * c * sum,
                      gradientRejected: s + 2 * c * sum)
    }
}
