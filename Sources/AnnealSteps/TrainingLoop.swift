import AnnealEngine
import AnnealModel
import AnnealSpec
import Foundation

/// The optimiser loop `pretrain` and `sft` share: validation before the first
/// step, at every `eval_interval` and at the end; per step zero the gradients,
/// let the kind accumulate its micro-batches, clip, update, log; checkpoint
/// every `checkpoint_interval` steps and on an interrupt (then stop with an error).
struct TrainingLoop {
    var model: GPT
    var optimizer: AdamW
    var state: TrainingState
    let settings: TrainingHyperparameters
    let totalSteps: Int
    let context: StepContext
    let log: TrainingLog

    /// Runs to `totalSteps`. `accumulate` adds the gradients of one step's
    /// micro-batches and returns the step's loss and token count; `validate`
    /// measures validation loss (nil without validation data); `saving` lets
    /// the kind put its data position into the state before a checkpoint.
    /// Returns the last validation loss measured.
    mutating func run(accumulate: (_ step: Int) throws -> (loss: Float, tokens: Int),
                      validate: () throws -> Float?,
                      saving: (inout TrainingState) -> Void) throws -> Float? {
        var lastValidation: Float?
        if state.step == 0, let v = try validate() {
            log.initialValidation(v)
            lastValidation = v
        }
        let schedule = settings.schedule(totalSteps: totalSteps)
        while state.step < totalSteps {
            if InterruptFlag.isRaised {
                try checkpoint(saving)
                throw StepFailure("interrupted at step \(state.step); checkpoint saved, run again to continue")
            }
            let started = Date()
            model.isTraining = true
            model.parameters.zeroGradients()
            let (loss, tokens) = try accumulate(state.step)
            let norm = settings.maxGradNorm > 0 ? GradientClipping.clip(model.parameters, maxNorm: settings.maxGradNorm)
                : GradientClipping.globalNorm(model.parameters)
            let rate = schedule.rate(at: state.step)
            optimizer.update(model.parameters, learningRate: rate)
            state.step += 1
            let seconds = Date().timeIntervalSince(started)
            var measured: Float?
            if state.step % settings.evalInterval == 0 || state.step == totalSteps {
                measured = try validate()
                lastValidation = measured ?? lastValidation
            }
            log.step(state.step, loss: loss, learningRate: rate, gradientNorm: norm, tokens: tokens, seconds: seconds,
                     validationLoss: measured)
            if state.step % settings.checkpointInterval == 0 && state.step < totalSteps { try checkpoint(saving) }
        }
        return lastValidation
    }

    private mutating func checkpoint(_ saving: (inout TrainingState) -> Void) throws {
        saving(&state)
        let (model, optimizer, state) = (self.model, self.optimizer, self.state)
        try context.saveCheckpoint(named: "step-\(state.step)") { dir in
            try TrainingCheckpoint.save(model: model, optimizer: optimizer, state: state, to: dir)
        }
    }
}
