/// The `collect` step's `dedup:` settings. The first occurrence in source order
/// is kept; later copies are removed.
public struct DedupConfig: Equatable, Sendable {
    /// `exact`: drop documents whose normalised text (lower-cased, whitespace
    /// collapsed) has the same 128-bit hash as an earlier one. Default true.
    public var exact: Bool
    /// `near`: Jaccard similarity of word-shingle sets above which a document is a
    /// near duplicate (MinHash + LSH); nil switches near dedup off. Default 0.8.
    public var near: Double?
    /// `shingle_size`: words per shingle. Default 5.
    public var shingleSize: Int
    /// `num_perm`: MinHash permutations (signature length). Default 128.
    public var numPerm: Int
    /// `bands`: LSH bands (rows = num_perm / bands); nil chooses them for `near`,
    /// weighting missed duplicates 9:1 over spurious candidates (see
    /// `MinHashDeduplicator.lshParameters`).
    public var bands: Int?
    /// `seed`: seed of the MinHash permutations. Default 1.
    public var seed: UInt64

    public init(exact: Bool = true, near: Double? = 0.8, shingleSize: Int = 5, numPerm: Int = 128,
                bands: Int? = nil, seed: UInt64 = 1) {
        self.exact = exact
        self.near = near
        self.shingleSize = shingleSize
        self.numPerm = numPerm
        self.bands = bands
        self.seed = seed
    }
}
