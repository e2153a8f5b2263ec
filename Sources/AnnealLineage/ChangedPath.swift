/// One file that differs between two commits, with its own patch text.
public struct ChangedPath: Hashable, Sendable, Codable {
    /// How the file changed.
    public enum Change: String, Sendable, Codable {
        case added, deleted, modified, renamed, typeChanged
    }

    /// The file's path in the newer commit (its old path when it was deleted).
    public let path: String
    /// The file's path in the older commit (differs from `path` only for a rename).
    public let oldPath: String
    /// How it changed.
    public let change: Change
    /// Lines added.
    public let additions: Int
    /// Lines removed.
    public let deletions: Int
    /// Whether git considers the contents binary (then `patch` says so instead of listing lines).
    public let isBinary: Bool
    /// The unified patch of this file alone, headers included.
    public let patch: String

    /// Makes a changed path; the repository builds these.
    public init(path: String, oldPath: String, change: Change, additions: Int, deletions: Int,
                isBinary: Bool, patch: String) {
        self.path = path
        self.oldPath = oldPath
        self.change = change
        self.additions = additions
        self.deletions = deletions
        self.isBinary = isBinary
        self.patch = patch
    }
}
