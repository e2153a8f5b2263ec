import AnnealEngine
import AnnealSpec
import AnnealTensor

/// The training and held-out pairs of a preference step: `data` (and
/// `validation`, or a seeded `validation_split` of `data`), encoded through
/// the chat template; pairs longer than `maxTokens` are left out and counted.
struct PreferenceExamples {
    /// The data fields of the preference kinds (`reward-model`, `dpo`).
    static let fields: [Field] = [
        Field("data", .file, required: true,
              doc: "JSONL preference pairs: prompt/chosen/rejected (strings or chat messages), or chosen/rejected conversations; optional margin"),
        Field("validation", .file, doc: "held-out pairs of the same form (default: validation_split of data)"),
        Field("validation_split", .float(min: 0, max: 0.9), default: .float(0.1),
              doc: "share of data held out for the eval_* figures when there is no validation file"),
        Field("max_length", .int(min: 2), doc: "longest prompt + answer in tokens; longer pairs are left out (default: the model's context)"),
        Field("num_train_epochs", .float(min: 0), default: .float(1), doc: "passes over the training pairs"),
        Field("max_steps", .int(min: 1), doc: "optimiser steps to train for (overrides num_train_epochs)"),
    ]

    var train: [EncodedPreference]
    var validation: [EncodedPreference]
    var dropped: Int
    /// Pairs left out of `data` and `validation` because chosen and rejected are the same.
    var identical: Int

    init(_ config: PreferenceSettings, template: ChatTemplate, maxTokens: Int, seed: UInt64) throws {
        let data = try PreferenceData.readCounting(config.data)
        var pairs = data.pairs, identical = data.identical.count
        var held: [PreferencePair] = []
        if let validationPath = config.validation {
            let (validationPairs, identicalInValidation) = try PreferenceData.readCounting(validationPath)
            held = validationPairs
            identical += identicalInValidation.count
        } else {
            let share = config.validationSplit
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
        self.identical = identical
        guard !train.isEmpty else {
            throw StepFailure("\(config.data): no training pair fits in \(maxTokens) tokens; raise max_length or shorten the pairs")
        }
    }

    /// The longest sequence of all pairs, in tokens.
    var longest: Int {
        (train + validation).map { max($0.chosen.tokens.count, $0.rejected.tokens.count) }.max() ?? 1
    }
}
