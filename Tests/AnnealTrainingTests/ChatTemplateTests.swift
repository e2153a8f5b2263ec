import AnnealSteps
import AnnealText
import Foundation
import Testing

/// The chat template marks answers from the structure of the conversation.
struct ChatTemplateTests {
    @Test func answersAndTheirEndOfTurnAreTheOnlyScoredTokens() throws {
        let w = try TrainingWorkspace()
        let tokenizer = try w.trainTokenizer(["user\nhello there\nassistant\ngeneral kenobi\n"], vocabularySize: 280)
        let template = try ChatTemplate(tokenizer: tokenizer)
        let (tokens, isAnswer) = template.encode([ChatMessage(role: "system", content: "be brief"),
                                                  ChatMessage(role: "user", content: "hello there"),
                                                  ChatMessage(role: "assistant", content: "general kenobi")])
        let answer = zip(tokens, isAnswer).filter(\.1).map(\.0)
        #expect(answer.last == template.endOfTurn)
        #expect(try tokenizer.decode(answer.dropLast().map(Int.init)) == "general kenobi")
        let rendered = try tokenizer.decode(tokens.map(Int.init))
        #expect(rendered == "<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhello there<|im_end|>\n<|im_start|>assistant\ngeneral kenobi<|im_end|>\n")
        let prompt = template.prompt([ChatMessage(role: "user", content: "hello there")])
        #expect(try tokenizer.decode(prompt.map(Int.init)).hasSuffix("<|im_end|>\n<|im_start|>assistant\n"))
    }
}
