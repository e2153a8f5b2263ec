import AnnealEngine
import AnnealSpec
import AnnealTensor

/// The training and held-out pairs of a preference step: `data` (and
/// `validation`, or a seeded `validation_split` of `data`), encoded through
/// the chat template; pairs longer than `maxTokens` are left out and counted.
struct PreferenceExamples {
    var train: [EncodedPreference]
    var validation: [EncodedPreference]
    var dropped: Int

    init(_ config: Value, template: ChatTemplate, maxTokens: Int, seed: UInt64) throws {
        guard let dataPath = config["data"]?.string else { throw StepFailure("field 'data' is required") }
        var pairs = try PreferenceData.read(dataPath)
        var held: [PreferencePair] = []
        if let validationPath = config["validation"]?.string {
            held = try PreferenceData.read(validationPath)
        } else {
            let share = config["validation_split"]?.double ?? 0.1
            var generator = SeededGenerator(seed: seed ^ 0x9AE1_C7ED)
            SFTOrder.shuffle(&pairs, using: &generator)
            let count = share > 0 && pairs.count >= 2 ? max(1, Int((share * Double(pairs.count)).rounded())) : 0
            held = Array(pairs.prefix(count))
            pairs.removeFirst(count)
        }
        var dropped = 0
        func encode(_ pair: PreferencePair) -> EncodedPreference? {
            let e = EncodedPreference.encode(pair, template: template, maxTokens: maxTokens)
            if e == nil { dropped += 1 }
            return e
        }
        train = pairs.compactMap(encode)
        validation = held.compactMap(encode)
        self.dropped = dropped
        guard !train.isEmpty else {
            throw StepFailure("\(dataPath): no training pair fits in \(maxTokens) tokens; raise max_length or shorten the pairs")
        }
    }

    /// The longest sequence of all pairs, in tokens.
    var longest: Int {
        (train + validation).map { max($0.chosen.tokens.count, $0.rejected.tokens.count) }.max() ?? 1
    }
}
