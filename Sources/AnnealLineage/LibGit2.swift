import CGit2

/// The process-wide libgit2 setup: `git_libgit2_init` runs exactly once, the first
/// time anything in this module needs libgit2, and is never undone (shutting
/// libgit2 down while another thread still holds a repository would crash it).
enum LibGit2 {
    private static let initialized: Bool = git_libgit2_init() > 0

    /// Initialises libgit2 if this process has not yet; cheap after the first call.
    static func ensureInitialized() {
        _ = initialized
    }
}
