import AnnealEngine
import AnnealModel
import AnnealSpec

/// The optimisation settings the training kinds share: batch, accumulation,
/// AdamW, the learning-rate schedule, clipping, evaluation and checkpoint
/// intervals. Field names follow TRL / Hugging Face `TrainingArguments`.
struct TrainingHyperparameters: Decodable {
    /// Defaults that differ between kinds (nanoGPT for pretraining, TRL for SFT).
    struct Defaults {
        var batchSize: Int
        var learningRate: Double
        var warmupSteps: Int
        var scheduler: String
        var weightDecay: Double
        var beta2: Double
        var seed: Int
        var evalInterval: Int
        var checkpointInterval: Int
    }

    /// How the learning rate decays after the warmup.
    enum Scheduler: String, Decodable {
        case cosine, linear, constant
    }

    var batchSize: Int
    /// 1 for a kind without accumulation (PPO's schema has no such field).
    var gradientAccumulationSteps: Int
    var learningRate: Float
    var minLearningRate: Float
    var warmupSteps: Int
    var scheduler: Scheduler
    var optimizer: AdamW.Config
    var maxGradNorm: Float
    var seed: UInt64
    /// Nil for a kind without validation (PPO).
    var evalInterval: Int?
    var checkpointInterval: Int

    static func fields(_ d: Defaults) -> [Field] {
        [
            Field("batch_size", .int(min: 1, max: 4096), default: .int(d.batchSize),
                  doc: "sequences per micro-batch"),
            Field("gradient_accumulation_steps", .int(min: 1, max: 4096), default: .int(1),
                  doc: "micro-batches whose gradients add up to one optimiser step"),
            Field("learning_rate", .float(min: 0, max: 10), default: .float(d.learningRate),
                  doc: "peak learning rate, reached after the warmup"),
            Field("min_learning_rate", .float(min: 0, max: 10),
                  doc: "learning rate at the end of the decay (default: a tenth of learning_rate for cosine, 0 for linear)"),
            Field("warmup_steps", .int(min: 0), default: .int(d.warmupSteps),
                  doc: "optimiser steps of linear warmup from 0 to learning_rate"),
            Field("lr_scheduler_type", .enumeration(["cosine", "linear", "constant"]), default: .string(d.scheduler),
                  doc: "decay after the warmup: cosine or linear to min_learning_rate, or constant"),
            Field("weight_decay", .float(min: 0, max: 10), default: .float(d.weightDecay),
                  doc: "AdamW decoupled weight decay on matrices and embeddings (not biases or LayerNorm)"),
            Field("adam_beta1", .float(min: 0, max: 0.999999), default: .float(0.9), doc: "AdamW beta1"),
            Field("adam_beta2", .float(min: 0, max: 0.999999), default: .float(d.beta2), doc: "AdamW beta2"),
            Field("adam_epsilon", .float(min: 0, max: 1), default: .float(1e-8), doc: "AdamW epsilon"),
            Field("max_grad_norm", .float(min: 0), default: .float(1.0),
                  doc: "clip the global gradient norm to this (0: no clipping)"),
            Field("seed", .int(min: 0), default: .int(d.seed),
                  doc: "seed of initialisation, data order and dropout"),
            Field("eval_interval", .int(min: 1), default: .int(d.evalInterval),
                  doc: "measure validation loss every this many steps (and at the last step)"),
            Field("checkpoint_interval", .int(min: 1), default: .int(d.checkpointInterval),
                  doc: "save a resumable checkpoint in the work folder every this many steps"),
        ]
    }

    private enum CodingKeys: String, CodingKey {
        case batchSize, gradientAccumulationSteps, learningRate, minLearningRate, warmupSteps, lrSchedulerType
        case weightDecay, adamBeta1, adamBeta2, adamEpsilon, maxGradNorm, seed, evalInterval, checkpointInterval
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        gradientAccumulationSteps = c.contains(.gradientAccumulationSteps) ? try c.decode(Int.self, forKey: .gradientAccumulationSteps) : 1
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        scheduler = try c.decode(Scheduler.self, forKey: .lrSchedulerType)
        // The documented default of min_learning_rate depends on the scheduler.
        minLearningRate = try c.decodeIfPresent(Float.self, forKey: .minLearningRate) ?? (scheduler == .cosine ? learningRate / 10 : 0)
        warmupSteps = try c.decode(Int.self, forKey: .warmupSteps)
        optimizer = AdamW.Config(beta1: try c.decode(Float.self, forKey: .adamBeta1),
                                 beta2: try c.decode(Float.self, forKey: .adamBeta2),
                                 epsilon: try c.decode(Float.self, forKey: .adamEpsilon),
                                 weightDecay: try c.decode(Float.self, forKey: .weightDecay))
        maxGradNorm = try c.decode(Float.self, forKey: .maxGradNorm)
        seed = try c.decode(UInt64.self, forKey: .seed)
        evalInterval = c.contains(.evalInterval) ? try c.decode(Int.self, forKey: .evalInterval) : nil
        checkpointInterval = try c.decode(Int.self, forKey: .checkpointInterval)
    }

    /// The schedule over `totalSteps` optimiser steps (warmup capped to the total).
    func schedule(totalSteps: Int) -> LearningRateSchedule {
        let warmup = min(warmupSteps, totalSteps)
        switch scheduler {
        case .constant:
            return warmup > 0 ? .warmupLinear(peak: learningRate, warmupSteps: warmup, totalSteps: totalSteps, floor: learningRate)
                : .constant(rate: learningRate)
        case .linear:
            return .warmupLinear(peak: learningRate, warmupSteps: warmup, totalSteps: totalSteps, floor: minLearningRate)
        case .cosine:
            return .warmupCosine(peak: learningRate, warmupSteps: warmup, totalSteps: totalSteps, floor: minLearningRate)
        }
    }
}
