import Dispatch

/// Wall time per kind of work inside forward, backward and the optimiser,
/// for benchmarks: set `GPT.profile` to an instance and read `seconds`.
public final class StepProfile {
    public enum Phase: String, CaseIterable, Sendable {
        /// Linear layers and the LM head (cblas_sgemm on the whole batch).
        case matmul
        /// Attention: per-head sgemms plus the causal softmax.
        case attention
        /// Softmax cross-entropy over the vocabulary.
        case crossEntropy
        /// LayerNorm forward and backward.
        case layerNorm
        /// GELU forward and backward.
        case gelu
        /// Token and position embeddings and their scatter-add backward.
        case embedding
        /// Residual-stream copies.
        case residual
    }

    public private(set) var seconds: [Phase: Double] = [:]

    public init() {}

    public func reset() { seconds = [:] }

    @inline(__always)
    func time<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { seconds[phase, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }
        return try body()
    }
}
