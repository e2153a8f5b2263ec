/// The `collect` step's `split:` settings. A document goes to a split by a hash
/// of its cleaned text, so adding or removing other documents never moves it.
public struct SplitConfig: Equatable, Sendable {
    /// `validation`: share of documents for validation. Default 0.05.
    public var validation: Double
    /// `test`: share for a test split; 0 writes no `test.jsonl`. Default 0.
    public var test: Double
    /// `seed`: changes the assignment (all documents at once). Default 0.
    public var seed: UInt64

    public init(validation: Double = 0.05, test: Double = 0, seed: UInt64 = 0) {
        self.validation = validation
        self.test = test
        self.seed = seed
    }
}
