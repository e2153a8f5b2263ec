import AnnealAlignment

extension DPO {
    /// The fields of `dpo` other than the shared preference, LoRA and optimisation ones.
    struct Configuration: Decodable {
        var model: String
        var refModel: String?
        var beta: Double
        var lossType: PreferenceLoss.Kind
        var labelSmoothing: Double
        var rpoAlpha: Double
    }
}
