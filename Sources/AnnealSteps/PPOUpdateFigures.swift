/// Running sums of what PPO's update passes log, over every response token
/// of every minibatch of an iteration.
struct PPOUpdateFigures {
    var policyLoss = 0.0, valueLoss = 0.0
    var clipped = 0.0, valueClipped = 0.0
    var approximateKL = 0.0, ratio = 0.0
    var tokens = 0.0

    /// The means, with TRL's names.
    var metrics: [String: Double] {
        let n = max(tokens, 1)
        return ["loss/policy_avg": policyLoss / n, "loss/value_avg": valueLoss / n, "policy/clipfrac_avg": clipped / n,
                "val/clipfrac_avg": valueClipped / n, "policy/approxkl_avg": approximateKL / n, "val/ratio": ratio / n]
    }
}
