extension Pretrain {
    /// The fields of `pretrain` other than the shared optimisation ones.
    struct Configuration: Decodable {
        /// The `model` record: the architecture of a new model.
        struct Shape: Decodable {
            var layers: Int
            var heads: Int
            var width: Int
            var context: Int
        }

        var train: String
        var validation: String?
        var tokenizer: String?
        var textField: String
        var initFrom: String?
        var model: Shape
        var maxSteps: Int
        var maxTokens: Int?
        var evalBatches: Int
    }
}
