@testable import AnnealSteps
import AnnealSpec
import Foundation
import Testing

extension AlignmentStepsSuite {
    /// A pair whose chosen answer is its rejected answer carries no preference
    /// (DPO would sit at loss log 2, accuracy 0): it is left out with a warning
    /// and counted in the step's metrics, and a file of only such pairs fails.
    @Suite struct IdenticalPairsTests {
        @Test func identicalPairsAreLeftOutAndCounted() throws {
            let f = try AlignmentFixture()
            try f.writeJSONL("p.jsonl", [
                ["prompt": "Hi?", "chosen": "Hello.", "rejected": "Go away."],
                ["prompt": "Hi?", "chosen": "Hello.", "rejected": "Hello."],
                // The same answer written as a string and as an assistant turn.
                ["prompt": "Hi?", "chosen": "Hello.", "rejected": [["role": "assistant", "content": "Hello."]]],
                // Two identical conversations: no prompt to split off, still left out, not an error.
                ["chosen": [["role": "user", "content": "Hi?"]], "rejected": [["role": "user", "content": "Hi?"]]],
            ])
            let (pairs, identical) = try PreferenceData.readCounting(f.path("p.jsonl"))
            #expect(pairs.count == 1 && pairs[0].rejected == [ChatMessage(role: "assistant", content: "Go away.")])
            #expect(identical.lines == [2, 3, 4])
            #expect(identical.warning == "warning: \(f.path("p.jsonl")): left out 3 lines, each a pair whose chosen and rejected answers are identical (lines 2, 3, 4); such a pair teaches no preference; fix or remove it")
        }

        @Test func onlyIdenticalPairsLeaveNothingToLearnFrom() throws {
            let f = try AlignmentFixture()
            try f.writeJSONL("p.jsonl", [["prompt": "Hi?", "chosen": "Hello.", "rejected": "Hello."]])
            #expect { try PreferenceData.read(f.path("p.jsonl")) } throws: {
                "\($0)" == "\(f.path("p.jsonl")): every line (1) holds a pair whose chosen and rejected answers are identical, so nothing is left to learn from; such a pair teaches no preference; fix or remove it"
            }
        }

        @Test func dpoCountsTheIdenticalPairsItLeftOut() throws {
            let f = try AlignmentFixture()
            try f.writeRandomModel("policy", layers: 1, width: 16, context: 32, seed: 5)
            try f.writePreferences("train.jsonl", words: Array(AlignmentFixture.words.prefix(4)))
            var rows = try String(contentsOfFile: f.path("train.jsonl"), encoding: .utf8)
            rows += #"{"chosen":"Same.","prompt":"Hi?","rejected":"Same."}"# + "\n"
            try rows.write(toFile: f.path("train.jsonl"), atomically: true, encoding: .utf8)
            let context = try f.run(DPO(), name: "dpo", with: [
                "model": .string(f.path("policy")), "data": .string(f.path("train.jsonl")), "validation_split": .float(0),
                "max_steps": .int(1), "batch_size": .int(2),
            ])
            let metrics = try AlignmentFixture.recorded(context, in: f)
            #expect(metrics["identical_pairs_dropped"] == .int(1))
            #expect(metrics["train_pairs"] == .int(4))
        }
    }
}
