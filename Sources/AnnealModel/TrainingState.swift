/// What a training loop needs beyond weights and optimiser moments to resume
/// exactly: the step, where it was in the data, and its random generator.
public struct TrainingState: Codable, Equatable, Sendable {
    /// Optimiser steps completed.
    public var step: Int
    /// The caller's position in its data (e.g. the next example index).
    public var dataPosition: Int
    /// The caller's generator state (`SeededGenerator.state`).
    public var generatorState: [UInt64]
    /// Anything else the step kind wants back (e.g. a data fingerprint).
    public var notes: [String: String]

    public init(step: Int, dataPosition: Int, generatorState: [UInt64], notes: [String: String] = [:]) {
        self.step = step
        self.dataPosition = dataPosition
        self.generatorState = generatorState
        self.notes = notes
    }
}
