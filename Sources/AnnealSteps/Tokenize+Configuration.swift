extension Tokenize {
    /// The fields of `tokenize`.
    struct Configuration: Decodable {
        var tokenizer: String
        var text: String
        var validation: String?
        var field: String
        var tokensPerShard: Int
    }
}
