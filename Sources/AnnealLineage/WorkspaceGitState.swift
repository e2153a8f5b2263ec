import CGit2
import Foundation

/// The git state of the directory a pipeline ran in, for the run record: which
/// commit and branch the workspace was at and whether it had uncommitted changes,
/// so a run can be traced back to the exact code and recipes that made it.
public struct WorkspaceGitState: Hashable, Sendable, Codable {
    /// The working tree's top directory (the one holding `.git`).
    public let repositoryRoot: String
    /// The commit HEAD points at; nil in a repository with no commit yet.
    public let head: CommitID?
    /// The checked-out branch (`main`); nil when HEAD is detached.
    public let branch: String?
    /// Whether any file is modified, staged, deleted or untracked (and not ignored).
    public let isDirty: Bool
    /// The paths that make the tree dirty, relative to `repositoryRoot`, sorted
    /// (an untracked directory appears once, with a trailing `/`).
    public let changedPaths: [String]

    /// Whether HEAD is detached (not on a branch).
    public var isDetached: Bool { branch == nil }

    /// Makes a state value; `probe` builds these, tests may too.
    public init(repositoryRoot: String, head: CommitID?, branch: String?, changedPaths: [String]) {
        self.repositoryRoot = repositoryRoot
        self.head = head
        self.branch = branch
        self.changedPaths = changedPaths
        self.isDirty = !changedPaths.isEmpty
    }

    /// The git state of the working tree that contains `directory` (searching
    /// upward, as git does), or nil when `directory` is not inside a git working tree.
    ///
    /// - Parameter excluding: paths relative to `directory` whose changes do not make
    ///   the tree dirty; by default Anneal's own `.anneal` folder, which a run itself
    ///   creates and so must not mark the workspace dirty.
    public static func probe(directory: String, excluding: [String] = [".anneal"]) throws -> WorkspaceGitState? {
        LibGit2.ensureInitialized()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LineageError(.invalidArgument, "the workspace '\(directory)' is not a directory",
                               hint: "run Anneal from the workspace directory, or check the path given")
        }
        var repo: OpaquePointer?
        let code = git_repository_open_ext(&repo, directory, 0, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LineageError.check(code, "cannot open the git repository around '\(directory)'")
        defer { git_repository_free(repo) }
        guard git_repository_is_bare(repo) == 0, let workdir = git_repository_workdir(repo) else { return nil }
        let root = String(cString: workdir)

        let (head, branch) = try readHead(repo!)
        let base = canonicalPath(directory)
        let excluded = excluding.map { base + "/" + $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        let canonicalRoot = canonicalPath(root)
        let changed = try changedPaths(repo!).filter { path in
            let absolute = canonicalRoot + "/" + (path.hasSuffix("/") ? String(path.dropLast()) : path)
            return !excluded.contains { absolute == $0 || absolute.hasPrefix($0 + "/") }
        }
        return WorkspaceGitState(repositoryRoot: root.hasSuffix("/") ? String(root.dropLast()) : root,
                                 head: head, branch: branch, changedPaths: changed)
    }

    /// HEAD's commit (nil when unborn) and branch (nil when detached).
    private static func readHead(_ repo: OpaquePointer) throws -> (CommitID?, String?) {
        var head: OpaquePointer?
        let code = git_repository_head(&head, repo)
        if code == GIT_EUNBORNBRANCH.rawValue {
            // A new repository: HEAD names a branch that has no commit yet.
            var symbolic: OpaquePointer?
            try LineageError.check(git_reference_lookup(&symbolic, repo, "HEAD"), "cannot read HEAD")
            defer { git_reference_free(symbolic) }
            let target = git_reference_symbolic_target(symbolic).map { String(cString: $0) }
            return (nil, target.map { $0.hasPrefix("refs/heads/") ? String($0.dropFirst(11)) : $0 })
        }
        try LineageError.check(code, "cannot read HEAD of the workspace repository")
        defer { git_reference_free(head) }
        let commit = git_reference_target(head).map { CommitID($0.pointee) }
        let branch = git_repository_head_detached(repo) == 1 ? nil : String(cString: git_reference_shorthand(head))
        return (commit, branch)
    }

    /// Paths with staged, unstaged or untracked (not ignored) changes, sorted.
    private static func changedPaths(_ repo: OpaquePointer) throws -> [String] {
        var options = git_status_options()
        try LineageError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)),
                               "cannot prepare status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        // Untracked directories are reported once rather than file by file: enough to
        // know the tree is dirty, and fast in a workspace full of data.
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue
        var list: OpaquePointer?
        try LineageError.check(git_status_list_new(&list, repo, &options), "cannot read the status of the workspace",
                               hint: "check that the workspace's git index is readable (run `git status` there)")
        defer { git_status_list_free(list) }
        var paths: Set<String> = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index)?.pointee else { continue }
            let delta = entry.index_to_workdir ?? entry.head_to_index
            guard let file = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path else { continue }
            paths.insert(String(cString: file))
        }
        return paths.sorted()
    }

    /// `path` made absolute with symlinks resolved, so paths reported by libgit2
    /// and paths given by the caller compare equal; `path` as given if it cannot be.
    private static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        let text = String(cString: resolved)
        return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
