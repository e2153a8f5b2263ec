import AnnealEngine
import Foundation

/// Fails a training step that has diverged, before the diverged update is
/// applied or stored: a loss or gradient norm that is not finite, or a watched
/// figure (the loss; PPO: the KL to the reference per token) that stays above
/// `limit` for `patience` consecutive optimiser steps. Each kind sets the
/// limit from what an untrained model scores (see docs/training.md):
///
///     pretrain, sft   loss > 3 · ln V          (a uniform guess over V tokens scores ln V)
///     reward-model    loss > 3 · mean ln(1 + e^margin)   (equal rewards: ln 2 without margins)
///     dpo             loss > 3 · (L(policy = reference) + rpo_alpha · ln V)
///     ppo             KL per response token > ln V
///
/// While the figure is above its limit no periodic checkpoint is written, so
/// the checkpoint left in the work folder is the last good one.
struct DivergenceCheck {
    /// Consecutive optimiser steps above the limit that count as an explosion.
    static let patience = 3

    let step: String
    /// "optimiser step" or "iteration".
    let unit: String
    /// The name of the watched figure, as logged.
    let metric: String
    let limit: Double
    /// How the limit was set, for the message: "3 × ln 512, three times the loss of a uniform guess".
    let limitReason: String
    /// What to try, naming the step's own settings.
    let advice: String
    private(set) var streak = 0

    init(step: String, unit: String = "optimiser step", metric: String = "loss", limit: Double, limitReason: String,
         settings: TrainingHyperparameters) {
        self.step = step
        self.unit = unit
        self.metric = metric
        self.limit = limit
        self.limitReason = limitReason
        advice = "lower learning_rate (now \(settings.learningRate))"
            + (settings.maxGradNorm > 0 ? " or max_grad_norm (now \(settings.maxGradNorm))" : " or clip gradients with max_grad_norm (now off)")
    }

    /// Whether the watched figure is within its limit (periodic checkpoints are safe).
    var isWithinLimit: Bool { streak == 0 }

    /// Throws when any of `figures` is NaN or infinite.
    func checkFinite(at position: Int, _ figures: [(name: String, value: Double)]) throws {
        for f in figures where !f.value.isFinite {
            throw failure(at: position, "\(f.name) is \(f.value)")
        }
    }

    /// Counts `value` of the watched figure against the limit; throws at the
    /// `patience`-th step in a row above it.
    mutating func watch(_ value: Double, at position: Int) throws {
        try checkFinite(at: position, [(metric, value)])
        streak = value > limit ? streak + 1 : 0
        if streak >= Self.patience {
            throw failure(at: position, "\(metric) \(String(format: "%.4g", value)) has stayed above \(String(format: "%.4g", limit)) "
                          + "(\(limitReason)) for \(streak) \(unit)s in a row")
        }
    }

    func failure(at position: Int, _ what: String) -> StepFailure {
        StepFailure("step '\(step)' diverged at \(unit) \(position): \(what). Nothing is stored and the step is not cached; "
                    + "the last good checkpoint stays in the work folder. Try again with a \(advice)")
    }
}

extension DivergenceCheck {
    /// The rule of the language-model kinds: a loss above three times that of
    /// a uniform guess over the vocabulary, ln V.
    static func languageModel(step: String, vocabulary: Int, settings: TrainingHyperparameters) -> DivergenceCheck {
        DivergenceCheck(step: step, limit: 3 * log(Double(vocabulary)),
                        limitReason: "3 × ln \(vocabulary), three times the loss of a uniform guess", settings: settings)
    }
}
