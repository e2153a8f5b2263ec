/// One PPO episode: a prompt, the sampled response and everything computed
/// about it per response token (log-probabilities under the sampling policy
/// and the reference, values, rewards, advantages, value targets).
struct PPOResponse {
    var prompt: [Int32]
    var response: [Int32]
    /// Whether the response ended with the end-of-turn token.
    var endedTurn: Bool
    var oldLogProbabilities: [Double] = []
    var referenceLogProbabilities: [Double] = []
    var values: [Double] = []
    /// The reward model's (or rule's) score, after any missing-end penalty.
    var score = 0.0
    /// Per-token KL estimates against the reference.
    var kl: [Double] = []
    var rewards: [Double] = []
    var advantages: [Double] = []
    var returns: [Double] = []

    var tokens: [Int32] { prompt + response }

    /// Index in `tokens` of response token `t`'s prediction (the position before it).
    func predictionPosition(_ t: Int) -> Int { prompt.count - 1 + t }
}
