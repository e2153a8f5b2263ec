/// The log-probability of a continuation under a model: the sum, and each token's.
public struct SequenceLogProbability: Sendable, Equatable {
    /// Σ perToken.
    public let total: Float
    /// log p(token | everything before it) for each continuation token.
    public let perToken: [Float]
}
