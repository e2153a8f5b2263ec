@testable import AnnealSteps
import AnnealEngine
import AnnealSpec
import Testing

extension AlignmentStepsSuite {
    /// The written-down rewards PPO accepts instead of a reward model.
    @Suite struct RewardRuleTests {
        @Test func patternAndLengthScoresAdd() throws {
            let rule = try Self.rule(.map(["pattern": .string("helps!$"), "reward_if_match": .float(2), "reward_if_no_match": .float(-1),
                                            "target_length": .int(10)]))
            #expect(rule.score(text: "It helps!", tokens: 10) == 2)
            #expect(rule.score(text: "It helps! No.", tokens: 10) == -1)
            #expect(rule.score(text: "It helps!", tokens: 15) == 2 - 0.5)
            #expect(rule.score(text: "It helps!", tokens: 5) == 2 - 0.5)
        }

        /// The rule as PPO decodes it from its `reward_rule` record.
        static func rule(_ value: Value) throws -> RewardRule {
            try ConfigurationDecoder.decode(RewardRule.self, from: value, schema: RewardRule.schema)
        }

        @Test func aRuleNeedsAPatternOrALengthAndAValidPattern() {
            #expect(throws: ConfigurationError.self) { try Self.rule(.map([:])) }
            do {
                _ = try Self.rule(.map(["pattern": .string("(unclosed")]))
                Issue.record("accepted an invalid pattern")
            } catch {
                #expect("\(error)".contains("reward_rule.pattern '(unclosed'"))
            }
        }
    }
}
