import AnnealEngine
import AnnealSpec
import Foundation

/// A reward written down instead of learned, for tasks where it can be: a
/// regular expression searched in the response text (`pattern`, scoring
/// `reward_if_match` or `reward_if_no_match`) and/or a length rule
/// (`target_length` tokens, scoring `−|length − target| / target`). When both
/// are given the score is their sum.
struct RewardRule: Decodable {
    var pattern: NSRegularExpression?
    var patternSource: String?
    var matchReward: Double
    var missReward: Double
    var targetLength: Int?

    static let schema = Schema([
        Field("pattern", .string, doc: "regular expression (ICU syntax) searched in the response text"),
        Field("reward_if_match", .float(), default: .float(1), doc: "score when the pattern is found"),
        Field("reward_if_no_match", .float(), default: .float(0), doc: "score when it is not"),
        Field("target_length", .int(min: 1), doc: "response length in tokens the length rule rewards: score −|length − target| / target"),
    ], rules: [.atLeastOne(of: ["pattern", "target_length"], why: "a rule scores a pattern found in the response, its length, or both")])

    private enum CodingKeys: String, CodingKey {
        case pattern, rewardIfMatch, rewardIfNoMatch, targetLength
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        patternSource = try c.decodeIfPresent(String.self, forKey: .pattern)
        if let source = patternSource {
            do { pattern = try NSRegularExpression(pattern: source) } catch {
                throw StepFailure("reward_rule.pattern '\(source)' is not a valid regular expression: \(error)")
            }
        }
        matchReward = try c.decode(Double.self, forKey: .rewardIfMatch)
        missReward = try c.decode(Double.self, forKey: .rewardIfNoMatch)
        targetLength = try c.decodeIfPresent(Int.self, forKey: .targetLength)
    }

    /// The score of a response given as text and as a token count.
    func score(text: String, tokens: Int) -> Double {
        var s = 0.0
        if let pattern {
            let found = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            s += found ? matchReward : missReward
        }
        if let targetLength {
            s -= Double(abs(tokens - targetLength)) / Double(targetLength)
        }
        return s
    }
}
