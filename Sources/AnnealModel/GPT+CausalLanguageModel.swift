extension GPT: CausalLanguageModel {
    public var vocabularySize: Int { config.vocabulary }
    public var contextLength: Int { config.context }

    public func generate(prompts: [[Int32]], options: SamplingOptions) throws -> [Generation] {
        try Sampler(model: self).generate(prompts: prompts, options: options)
    }

    public func save(to directory: String, tokens: ModelDirectory.SpecialTokens) throws {
        try ModelDirectory.save(self, to: directory, tokens: tokens)
    }
}
