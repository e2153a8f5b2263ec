extension Tokenizer {
    /// The fields of `tokenizer`.
    struct Configuration: Decodable {
        var text: PathList?
        var field: String
        var vocabSize: Int
        var minFrequency: Int
        var specialTokens: [String]
        var from: String?
    }
}
