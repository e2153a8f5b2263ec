/// The difference between two commits: the unified patch text `git diff` prints,
/// and the same change as a list of files.
public struct LineageDiff: Hashable, Sendable, Codable {
    /// The whole unified patch (every file's patch, in path order).
    public let patch: String
    /// The files that differ, in path order.
    public let changes: [ChangedPath]

    /// Makes a diff value; the repository builds these.
    public init(patch: String, changes: [ChangedPath]) {
        self.patch = patch
        self.changes = changes
    }

    /// Whether the two commits hold the same files (within the path filter used).
    public var isEmpty: Bool { changes.isEmpty }
}
