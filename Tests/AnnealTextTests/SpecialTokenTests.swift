import Testing
@testable import AnnealText

/// Added tokens are recognised in text only when the caller asks.
struct SpecialTokenTests {
    @Test func specialTokensAreMatchedOnlyWhenAllowed() throws {
        let tok = try BPETokenizer.load(contentsOf: FixtureFile.url("tokenizer.json"))
        let eot = try #require(tok.tokenId(forSpecial: "<|endoftext|>"))
        let start = try #require(tok.tokenId(forSpecial: "<|im_start|>"))
        #expect(eot == 0 && start == 1)
        #expect(tok.tokenId(forSpecial: "<|nope|>") == nil)
        let text = "<|im_start|>user hi<|endoftext|>"
        let allowed = tok.encode(text, allowSpecial: true)
        #expect(allowed.first == start && allowed.last == eot)
        let plain = tok.encode(text)
        #expect(!plain.contains(eot) && !plain.contains(start))
        #expect(try tok.decode(plain) == text)
        #expect(try tok.decode(allowed) == text)
    }

    @Test func trainedTokenizerHasTheChatTokensFirst() throws {
        var trainer = BPETrainer(config: TokenizerTrainingConfig(vocabSize: 300))
        trainer.add("hello hello hello world world")
        let tok = try trainer.train()
        #expect(tok.addedTokens.map(\.content) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        #expect(tok.tokenId(forSpecial: "<|im_end|>") == 2)
        #expect(tok.encode("<|im_end|>", allowSpecial: true) == [2])
    }

    @Test func badTrainingSettingsAreErrors() {
        #expect(throws: TextError.self) { try BPETrainer(config: TokenizerTrainingConfig(vocabSize: 100)).train() }
        #expect(throws: TextError.self) {
            try BPETrainer(config: TokenizerTrainingConfig(specialTokens: ["<a>", "<a>"])).train()
        }
    }
}
