extension Evaluate {
    /// The fields of `evaluate`, each suite a record (nil when not asked for).
    struct Configuration: Decodable {
        struct Perplexity: Decodable {
            var data: String
            var textField: String
            var maxTokens: Int
        }

        struct QA: Decodable {
            var data: String
            var maxNewTokens: Int
            var maxExamples: Int?
        }

        struct Samples: Decodable {
            var prompts: [String]
            var samplesPerPrompt: Int
            var maxNewTokens: Int
            var temperature: Float
            var topK: Int?
            var topP: Float?
            var seed: Int
            var chat: Bool
        }

        var models: [String: String]
        var perplexity: Perplexity?
        var qa: QA?
        var samples: Samples?
        var batchSize: Int
        var reward: EvaluateAlignmentSuites.RewardSuite?
        var winRate: EvaluateAlignmentSuites.WinRateSuite?
        var kl: EvaluateAlignmentSuites.KLSuite?
    }
}
