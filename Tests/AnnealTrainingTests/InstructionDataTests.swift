@testable import AnnealSteps
import AnnealEngine
import Foundation
import Testing

/// The three SFT data forms become the same conversations, and bad lines name where they are.
struct InstructionDataTests {
    func read(_ lines: [String], format: String = "auto") throws -> [[ChatMessage]] {
        let w = try TrainingWorkspace()
        try w.write("d.jsonl", lines.joined(separator: "\n") + "\n")
        return try InstructionData.read(w.path("d.jsonl"), format: format)
    }

    func failure(_ lines: [String], format: String = "auto") throws -> String {
        do {
            _ = try read(lines, format: format)
            return ""
        } catch let e as StepFailure { return e.message }
    }

    @Test func everyFormBecomesAConversation() throws {
        let expected = [ChatMessage(role: "user", content: "Add\n\n2 and 3"), ChatMessage(role: "assistant", content: "5")]
        #expect(try read([#"{"instruction": "Add", "input": "2 and 3", "output": "5"}"#]) == [expected])
        #expect(try read([#"{"prompt": "Add\n\n2 and 3", "completion": "5"}"#]) == [expected])
        #expect(try read([#"{"messages": [{"role": "user", "content": "Add\n\n2 and 3"}, {"role": "assistant", "content": "5"}]}"#]) == [expected])
        #expect(try read([#"{"instruction": "Add 2 and 3", "input": "", "output": "5"}"#]).first?.first?.content == "Add 2 and 3")
    }

    @Test func badLinesNameFileLineAndField() throws {
        let good = #"{"instruction": "a", "output": "b"}"#
        let notJSON = try failure([good, "{not json"])
        #expect(notJSON.contains("d.jsonl:2:2: expected a quoted key; each line must be one JSON object"), "\(notJSON)")
        let role = try failure([#"{"messages": [{"role": "robot", "content": "x"}]}"#])
        #expect(role.contains("d.jsonl:1") && role.contains("messages[0].role"), "\(role)")
        let noAnswer = try failure([#"{"messages": [{"role": "user", "content": "x"}]}"#])
        #expect(noAnswer.contains("no assistant turn"), "\(noAnswer)")
        let wrongType = try failure([#"{"prompt": "x", "completion": 5}"#])
        #expect(wrongType.contains("'completion' holds a value of type int"), "\(wrongType)")
        let unknown = try failure([#"{"question": "x"}"#])
        #expect(unknown.contains("cannot tell the format"), "\(unknown)")
        let declared = try failure([good], format: "chat")
        #expect(declared.contains("'messages'"), "\(declared)")
    }

    @Test func completionOnlyMasksScoreAnswersAndEndOfTurn() throws {
        let w = try TrainingWorkspace()
        let tokenizer = try w.trainTokenizer(["user\nwhat is two\nassistant\ntwo\n"], vocabularySize: 280)
        let template = try ChatTemplate(tokenizer: tokenizer)
        let (tokens, isAnswer) = template.encode([ChatMessage(role: "user", content: "what is two"),
                                                  ChatMessage(role: "assistant", content: "two")])
        let example = SFTExample(tokens: tokens, trained: isAnswer)
        let row = example.row(length: tokens.count + 3)
        let scored = row.targets.filter { $0 >= 0 }
        #expect(scored == zip(tokens, isAnswer).filter(\.1).map(\.0))
        #expect(scored.last == template.endOfTurn)
        #expect(example.targetCount == scored.count)
        #expect(row.targets.suffix(4).allSatisfy { $0 == -1 }, "padding is never scored")
    }

    @Test func answersMatchAfterNormalisation() {
        #expect(AnswerMatch.exact("The Eiffel Tower!", ["eiffel tower"]))
        #expect(!AnswerMatch.exact("It is the Eiffel Tower", ["eiffel tower"]))
        #expect(AnswerMatch.contains("It is the Eiffel Tower.", ["Eiffel tower"]))
        #expect(!AnswerMatch.contains("Eiffelland", ["eiffel"]))
        #expect(!AnswerMatch.contains("anything", ["the"]), "an answer that normalises to nothing matches nothing")
    }
}
