import AnnealAlignment

/// Running sums of what DPO logs over a set of pairs, as TRL names it:
/// `rewards/chosen`, `rewards/rejected` (mean implicit rewards β(log π − log ref)),
/// `rewards/accuracies` (share with the chosen reward higher),
/// `rewards/margins` (mean difference), `logps/chosen`, `logps/rejected`
/// (mean summed answer log-probabilities under the policy).
struct PreferenceFigures {
    var count = 0
    var loss = 0.0
    var sftLoss = 0.0
    var rewardChosen = 0.0, rewardRejected = 0.0, accurate = 0.0
    var logpChosen = 0.0, logpRejected = 0.0

    mutating func add(_ r: PreferenceLoss.Result, chosen: Float, rejected: Float) {
        count += 1
        loss += r.loss
        rewardChosen += r.rewardChosen
        rewardRejected += r.rewardRejected
        accurate += r.accurate ? 1 : 0
        logpChosen += Double(chosen)
        logpRejected += Double(rejected)
    }

    /// The means, each name prefixed by `prefix`.
    func metrics(prefix: String) -> [String: Double] {
        let n = Double(max(count, 1))
        return [prefix + "rewards/chosen": rewardChosen / n, prefix + "rewards/rejected": rewardRejected / n,
                prefix + "rewards/accuracies": accurate / n, prefix + "rewards/margins": (rewardChosen - rewardRejected) / n,
                prefix + "logps/chosen": logpChosen / n, prefix + "logps/rejected": logpRejected / n]
    }
}
