/// Sends each document to train, validation or test by a 64-bit hash of its
/// cleaned text: u = hash / 2^64 in [0, 1); u < validation -> validation,
/// u < validation + test -> test, otherwise train. The choice depends on the
/// document alone, so adding documents never moves existing ones.
public struct SplitAssigner: Sendable {
    /// The three outputs.
    public enum Split: String, Sendable, CaseIterable, Codable { case train, validation, test }

    /// The settings applied.
    public let config: SplitConfig

    public init(config: SplitConfig) throws {
        guard config.validation >= 0, config.test >= 0, config.validation + config.test < 1 else {
            throw TextError("split: validation (\(config.validation)) and test (\(config.test)) must be >= 0 and sum to less than 1")
        }
        self.config = config
    }

    /// The split of a document.
    public func split(_ text: String) -> Split {
        let h = Hash64.hash(text, seed: 0x5350_4C49_5400 ^ config.seed)
        let u = Double(h >> 11) / Double(1 << 53)
        if u < config.validation { return .validation }
        if u < config.validation + config.test { return .test }
        return .train
    }
}
