import AnnealAlignment

extension PPO {
    /// The fields of `ppo` other than the shared LoRA and optimisation ones.
    struct Configuration: Decodable {
        var model: String
        var refModel: String?
        var rewardModel: String?
        var rewardRule: RewardRule?
        var valueModel: String?
        var prompts: String
        var responseLength: Int
        var temperature: Float
        var missingEosPenalty: Double?
        var klCoef: Double
        var klEstimator: KLEstimator
        var adaptiveKl: Bool
        var klTarget: Double
        var klHorizon: Double
        var cliprange: Double
        var cliprangeValue: Double
        var vfCoef: Double
        var gamma: Double
        var lam: Double
        var numPpoEpochs: Int
        var numMiniBatches: Int
        var whitenRewards: Bool
        var numTrainEpochs: Double
        var maxSteps: Int?
    }
}
