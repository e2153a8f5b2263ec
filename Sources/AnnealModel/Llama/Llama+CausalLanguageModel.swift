extension Llama: CausalLanguageModel {
    public var vocabularySize: Int { config.vocabulary }
    public var contextLength: Int { config.context }

    public func save(to directory: String, tokens: ModelDirectory.SpecialTokens) throws {
        try LlamaDirectory.save(self, to: directory, tokens: tokens)
    }
}
