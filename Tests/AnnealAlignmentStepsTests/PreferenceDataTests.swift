import AnnealSteps
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// The preference reader accepts TRL's forms and names the file, line and
    /// field of a malformed line.
    @Suite struct PreferenceDataTests {
        @Test func readsStringChatAndImplicitPromptForms() throws {
            let f = try AlignmentFixture()
            try f.writeJSONL("p.jsonl", [
                ["prompt": "Hi?", "chosen": "Hello. I hope this helps!", "rejected": "Go away.", "margin": 2],
                ["prompt": [["role": "system", "content": "Be kind."], ["role": "user", "content": "Hi?"]],
                 "chosen": [["role": "assistant", "content": "Hello!"]], "rejected": [["role": "assistant", "content": "No."]]],
                ["chosen": [["role": "user", "content": "Hi?"], ["role": "assistant", "content": "Hello!"]],
                 "rejected": [["role": "user", "content": "Hi?"], ["role": "assistant", "content": "No."]]],
            ])
            let pairs = try PreferenceData.read(f.path("p.jsonl"))
            #expect(pairs.count == 3)
            #expect(pairs[0].prompt == [ChatMessage(role: "user", content: "Hi?")])
            #expect(pairs[0].chosen == [ChatMessage(role: "assistant", content: "Hello. I hope this helps!")])
            #expect(pairs[0].margin == 2)
            #expect(pairs[1].prompt.count == 2 && pairs[1].rejected == [ChatMessage(role: "assistant", content: "No.")])
            #expect(pairs[2].prompt == [ChatMessage(role: "user", content: "Hi?")])
            #expect(pairs[2].chosen == [ChatMessage(role: "assistant", content: "Hello!")])
            #expect(pairs[2].margin == 0)
        }

        @Test func implicitPromptOfTwoTextsIsTheirCommonPrefixAtAWordBoundary() throws {
            let f = try AlignmentFixture()
            try f.writeJSONL("p.jsonl", [
                ["chosen": "What is the capital of Peru? Lima. I hope this helps!", "rejected": "What is the capital of Peru? Lisbon."],
            ])
            let pair = try #require(try PreferenceData.read(f.path("p.jsonl")).first)
            // The texts differ at "Li|ma" vs "Li|sbon": the prompt stops before "Lima", not inside it.
            #expect(pair.prompt == [ChatMessage(role: "user", content: "What is the capital of Peru?")])
            #expect(pair.chosen == [ChatMessage(role: "assistant", content: "Lima. I hope this helps!")])
            #expect(pair.rejected == [ChatMessage(role: "assistant", content: "Lisbon.")])
        }

        @Test func malformedLinesNameFileLineAndField() throws {
            let f = try AlignmentFixture()
            let cases: [([String: Any], String)] = [
                (["prompt": "Hi?", "chosen": "Yes."], "missing the field 'rejected'"),
                (["prompt": "Hi?", "chosen": 3, "rejected": "No."], "field 'chosen' is a"),
                (["prompt": "Hi?", "chosen": "Yes.", "rejected": "No.", "margin": "big"], "field 'margin'"),
                (["chosen": "Yes.", "rejected": "No."], "share no opening words"),
                (["prompt": "Hi?", "chosen": [["role": "robot", "content": "x"]], "rejected": "No."], "chosen[0].role is 'robot'"),
            ]
            for (row, message) in cases {
                try f.writeJSONL("bad.jsonl", [["prompt": "Fine?", "chosen": "Yes.", "rejected": "No."], row])
                do {
                    _ = try PreferenceData.read(f.path("bad.jsonl"))
                    Issue.record("accepted \(row)")
                } catch {
                    let text = "\(error)"
                    #expect(text.contains(f.path("bad.jsonl") + ":2:"), "\(text)")
                    #expect(text.contains(message), "\(text)")
                }
            }
        }
    }
}
