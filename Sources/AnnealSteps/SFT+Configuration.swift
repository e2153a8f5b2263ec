extension SFT {
    /// The fields of `sft` other than the shared optimisation and LoRA ones.
    struct Configuration: Decodable {
        var model: String
        var data: String
        var format: String
        var validation: String?
        var validationSplit: Double
        var completionOnlyLoss: Bool
        var maxLength: Int?
        var packing: Bool
        var numTrainEpochs: Double
        var maxSteps: Int?
    }
}
