import Foundation

/// Generalised advantage estimation over one response of T tokens:
///
///   δ_t = r_t + γ·V_{t+1} − V_t      (V_T = 0: the response ends the episode)
///   A_t = δ_t + γλ·A_{t+1}
///   R_t = A_t + V_t                  (the value targets)
public enum GeneralizedAdvantage {
    public static func compute(rewards: [Double], values: [Double], gamma: Double, lambda: Double)
        -> (advantages: [Double], returns: [Double]) {
        precondition(rewards.count == values.count, "one value per reward")
        let n = rewards.count
        var advantages = [Double](repeating: 0, count: n)
        var next = 0.0
        for t in stride(from: n - 1, through: 0, by: -1) {
            let nextValue = t + 1 < n ? values[t + 1] : 0
            let delta = rewards[t] + gamma * nextValue - values[t]
            next = delta + gamma * lambda * next
            advantages[t] = next
        }
        return (advantages, zip(advantages, values).map { $0 + $1 })
    }
}

/// `(x − mean) / sqrt(var + 1e-8)` over a batch, as PPO whitens advantages
/// (and optionally rewards); `shiftMean: false` keeps the mean.
public enum Whitening {
    public static func apply(_ x: [Double], shiftMean: Bool = true) -> [Double] {
        guard x.count > 1 else { return x }
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
        let scale = 1 / (variance + 1e-8).squareRoot()
        return x.map { shiftMean ? ($0 - mean) * scale : ($0 - mean) * scale + mean }
    }
}
