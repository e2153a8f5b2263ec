import AnnealEngine
import AnnealModel
import AnnealSpec
import Foundation

/// The optimiser loop of `pretrain`, `sft`, `reward-model` and `dpo`:
/// evaluation (before the first step when asked, at every `eval_interval` and
/// at the end); per step zero the gradients, let the kind accumulate its
/// micro-batches, check for divergence, clip, update, log; checkpoint every
/// `checkpoint_interval` steps and on an interrupt (then stop with an error).
/// The kinds differ only in how they compute a step's loss and gradients and
/// what they evaluate.
struct TrainingLoop {
    /// What one optimiser step's micro-batches measured.
    struct StepResult {
        var loss: Double
        /// Tokens the step's forward passes read, for tokens/s.
        var tokens: Int
        /// The kind's own figures for the metrics row (`rewards/chosen`, ...).
        var figures: [String: Double] = [:]
    }

    var model: GPT
    var optimizer: AdamW
    var state: TrainingState
    let settings: TrainingHyperparameters
    let totalSteps: Int
    let context: StepContext
    let log: TrainingLog
    var divergence: DivergenceCheck
    /// Figures printed on each step's log line after loss, lr, norm, tok/s and ms.
    var shown: [String] = []

    /// Runs to `totalSteps`. `accumulate` adds the gradients of one step's
    /// micro-batches; `evaluate` measures the held-out figures (nil without
    /// held-out data); `saving` lets the kind put its data position into the
    /// state before a checkpoint. Returns the last evaluation measured.
    mutating func run(evaluatesFirst: Bool,
                      accumulate: (_ step: Int) throws -> StepResult,
                      evaluate: () throws -> [String: Double]?,
                      saving: (inout TrainingState) -> Void) throws -> [String: Double]? {
        var lastEvaluation: [String: Double]?
        if evaluatesFirst, state.step == 0, let measured = try evaluate() {
            log.record(step: 0, measured, shown: shown)
            lastEvaluation = measured
        }
        let schedule = settings.schedule(totalSteps: totalSteps)
        while state.step < totalSteps {
            try InterruptFlag.stopIfRaised(at: state.step, unit: "step") { try checkpoint(saving) }
            let started = Date()
            model.isTraining = true
            model.parameters.zeroGradients()
            let result = try accumulate(state.step)
            let norm = settings.maxGradNorm > 0 ? GradientClipping.clip(model.parameters, maxNorm: settings.maxGradNorm)
                : GradientClipping.globalNorm(model.parameters)
            // Checked before the update, so a diverged step changes nothing.
            try divergence.checkFinite(at: state.step + 1, [("grad_norm", Double(norm))])
            try divergence.watch(result.loss, at: state.step + 1)
            let rate = schedule.rate(at: state.step)
            optimizer.update(model.parameters, learningRate: rate)
            state.step += 1
            let seconds = Date().timeIntervalSince(started)
            var row = result.figures
            row["loss"] = result.loss
            row["learning_rate"] = Double(rate)
            row["grad_norm"] = Double(norm)
            row["tokens_per_second"] = (Double(result.tokens) / max(seconds, 1e-9)).rounded()
            row["ms_per_step"] = (seconds * 10_000).rounded() / 10
            if let interval = settings.evalInterval, state.step % interval == 0 || state.step == totalSteps,
               let measured = try evaluate() {
                row.merge(measured) { $1 }
                lastEvaluation = measured
            }
            log.record(step: state.step, row, shown: ["loss", "learning_rate", "grad_norm", "tokens_per_second", "ms_per_step"] + shown)
            if state.step % settings.checkpointInterval == 0 && state.step < totalSteps && divergence.isWithinLimit {
                try checkpoint(saving)
            }
        }
        return lastEvaluation
    }

    private mutating func checkpoint(_ saving: (inout TrainingState) -> Void) throws {
        saving(&state)
        let (model, optimizer, state) = (self.model, self.optimizer, self.state)
        try context.saveCheckpoint(named: "step-\(state.step)") { dir in
            try TrainingCheckpoint.save(model: model, optimizer: optimizer, state: state, to: dir)
        }
    }
}

extension TrainingLoop {
    /// The held-out figures of the language-model kinds.
    static func validationFigures(_ loss: Float) -> [String: Double] {
        ["validation_loss": Double(loss), "validation_perplexity": Double(exp(loss))]
    }
}
