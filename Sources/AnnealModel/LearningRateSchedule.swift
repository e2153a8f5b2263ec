#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learning rate as a function of the optimiser step (0-based).
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// The same rate at every step.
    case constant(rate: Float)
    /// Linear warmup from 0 to `peak` over `warmupSteps`, then cosine decay to
    /// `floor` at `totalSteps` (and `floor` after).
    case warmupCosine(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float)
    /// Linear warmup, then linear decay to `floor` at `totalSteps`.
    case warmupLinear(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float)

    public func rate(at step: Int) -> Float {
        switch self {
        case .constant(let rate):
            return rate
        case .warmupCosine(let peak, let warmup, let total, let floor):
            if step < warmup { return peak * Float(step + 1) / Float(warmup) }
            let progress = decayProgress(step, warmup, total)
            return floor + (peak - floor) * 0.5 * (1 + Float(cos(Double.pi * Double(progress))))
        case .warmupLinear(let peak, let warmup, let total, let floor):
            if step < warmup { return peak * Float(step + 1) / Float(warmup) }
            return peak + (floor - peak) * decayProgress(step, warmup, total)
        }
    }

    private func decayProgress(_ step: Int, _ warmup: Int, _ total: Int) -> Float {
        guard total > warmup else { return 1 }
        return min(1, Float(step - warmup) / Float(total - warmup))
    }
}
