/// How `Sampler` picks tokens and when it stops.
public struct SamplingOptions: Sendable, Equatable {
    /// Tokens to generate at most per sequence.
    public var maxNewTokens: Int
    /// Softmax temperature; 0 means greedy (argmax).
    public var temperature: Float
    /// Keep only the k most likely tokens (nil: all).
    public var topK: Int?
    /// Keep the smallest set of tokens whose probability reaches p (nil: all).
    public var topP: Float?
    /// Generation of a sequence ends after it emits one of these.
    public var stopTokens: Set<Int32>
    /// Seed of the sampling draws (each sequence has its own stream).
    public var seed: UInt64

    public init(maxNewTokens: Int, temperature: Float = 1, topK: Int? = nil, topP: Float? = nil,
                stopTokens: Set<Int32> = [], seed: UInt64 = 0) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.stopTokens = stopTokens
        self.seed = seed
    }

    /// Greedy decoding.
    public static func greedy(maxNewTokens: Int, stopTokens: Set<Int32> = []) -> SamplingOptions {
        SamplingOptions(maxNewTokens: maxNewTokens, temperature: 0, stopTokens: stopTokens)
    }
}

/// One sequence's generated continuation.
public struct Generation: Sendable, Equatable {
    public enum FinishReason: String, Sendable { case stopToken, maxNewTokens, context }
    /// The generated tokens (the stop token included when one ended it).
    public let tokens: [Int32]
    /// log p(token) of each generated token under the model at temperature 1
    /// (for PPO's old-policy log-probabilities).
    public let logProbabilities: [Float]
    public let finishReason: FinishReason
}
