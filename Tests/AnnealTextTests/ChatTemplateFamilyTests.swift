import Foundation
import Testing
@testable import AnnealText

/// The chat templates of Llama 3.1, Qwen2.5, SmolLM2, Llama 2, Mistral and Gemma 2
/// render byte-identically to transformers' `apply_chat_template` (fixtures by
/// scripts/make-tokenizer-fixtures.py), loaded from chat_template.jinja or from
/// tokenizer_config.json's chat_template, with bos/eos from tokenizer_config.json.
struct ChatTemplateFamilyTests {
    struct Message: Decodable { let role: String; let content: String }
    struct Render: Decodable {
        let messages: [Message]
        let add_generation_prompt: Bool
        let text: String?
        let error: String?
    }
    struct Renders: Decodable { let renders: [Render] }

    @Test(arguments: FamilyTokenizerTests.families)
    func rendersLikeTransformers(family: String) throws {
        let dir = try FixtureFile.url("families/\(family)")
        let template = try HuggingFaceChatTemplate.load(tokenizerDirectory: dir)
        let renders = try JSONDecoder().decode(Renders.self, from: FixtureFile.data("families/\(family)/chat_renders.json")).renders
        #expect(renders.count == 10)
        for r in renders {
            let messages = r.messages.map { ChatMessage(role: $0.role, content: $0.content) }
            if let expected = r.text {
                let text = try template.render(messages, addGenerationPrompt: r.add_generation_prompt)
                #expect(Array(text.utf8) == Array(expected.utf8), "\(family): \(text.debugDescription)\nexpected \(expected.debugDescription)")
            } else if let error = r.error {
                do {
                    _ = try template.render(messages, addGenerationPrompt: r.add_generation_prompt)
                    Issue.record("\(family): expected the template to raise '\(error)'")
                } catch let e as TextError {
                    #expect(e.message.hasSuffix("raise_exception: \(error)"), "\(e.message)")
                }
            }
        }
    }

    @Test func readsTheTemplateFromEitherPlace() throws {
        let fromJinja = try HuggingFaceChatTemplate.load(tokenizerDirectory: FixtureFile.url("families/qwen2"))
        #expect(fromJinja.name.hasSuffix("chat_template.jinja"))
        #expect(fromJinja.eosToken == "<|im_end|>" && fromJinja.bosToken == "")
        let fromConfig = try HuggingFaceChatTemplate.load(tokenizerDirectory: FixtureFile.url("families/gemma"))
        #expect(fromConfig.name.hasSuffix("tokenizer_config.json chat_template"))
        #expect(fromConfig.bosToken == "<bos>" && fromConfig.eosToken == "<eos>")
    }

    @Test func assistantRangesCoverTheAssistantTurnsAndTheirEnd() throws {
        let template = try HuggingFaceChatTemplate.load(tokenizerDirectory: FixtureFile.url("families/qwen2"))
        let messages = [ChatMessage(role: "user", content: "Hi"), ChatMessage(role: "assistant", content: "Hello!"),
                        ChatMessage(role: "user", content: "Bye"), ChatMessage(role: "assistant", content: "See you.")]
        let (text, ranges) = try template.renderWithAssistantRanges(messages)
        #expect(ranges.map { String(text[$0]) } == ["Hello!<|im_end|>\n", "See you.<|im_end|>\n"])
        #expect(text.hasPrefix("<|im_start|>system\nYou are Qwen"))

        let gemma = try HuggingFaceChatTemplate.load(tokenizerDirectory: FixtureFile.url("families/gemma"))
        let (gText, gRanges) = try gemma.renderWithAssistantRanges(Array(messages.prefix(2)))
        #expect(gRanges.map { String(gText[$0]) } == ["Hello!<end_of_turn>\n"])
    }
}
