/// The generation fields every alignment suite of `evaluate` shares
/// (`EvaluateAlignmentSuites.generation`).
protocol GenerationSuite {
    var prompts: String { get }
    var maxNewTokens: Int { get }
    var temperature: Double { get }
    var seed: Int { get }
    var maxExamples: Int? { get }
}

extension EvaluateAlignmentSuites {
    struct RewardSuite: GenerationSuite, Decodable {
        var prompts: String
        var maxNewTokens: Int
        var temperature: Double
        var seed: Int
        var maxExamples: Int?
        var rewardModel: String
    }

    struct WinRateSuite: GenerationSuite, Decodable {
        var prompts: String
        var maxNewTokens: Int
        var temperature: Double
        var seed: Int
        var maxExamples: Int?
        var rewardModel: String
        var baseline: String
    }

    struct KLSuite: GenerationSuite, Decodable {
        var prompts: String
        var maxNewTokens: Int
        var temperature: Double
        var seed: Int
        var maxExamples: Int?
        var reference: String
    }
}
