extension RewardModel {
    /// The fields of `reward-model` other than the shared preference and optimisation ones.
    struct Configuration: Decodable {
        var model: String
        var centerRewardsCoefficient: Double
    }
}
