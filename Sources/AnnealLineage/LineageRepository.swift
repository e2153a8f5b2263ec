import CGit2
import Foundation

/// The bare git repository that holds the run history of every pipeline
/// (`.anneal/lineage.git`): one commit per run on `refs/anneal/<pipeline>`,
/// written and read through libgit2 only.
///
/// All operations on one instance are serialised by a lock, because libgit2 forbids
/// using one `git_repository` from two threads at once. Separate instances (and
/// separate processes) may work on the same repository: ref updates are
/// compare-and-swap, so no recorded run is ever lost.
// @unchecked Sendable: the only mutable state is the libgit2 handle, and every use of
// it happens inside `withHandle`, under `lock`.
public final class LineageRepository: @unchecked Sendable {
    /// The ref namespace of run histories: `refs/anneal/<pipeline>`.
    public static let runRefPrefix = "refs/anneal/"
    /// The refspec that exchanges every pipeline's history with a remote.
    public static let runRefspec = "refs/anneal/*:refs/anneal/*"

    /// The repository's directory, as given when it was opened.
    public let path: String

    private let handle: OpaquePointer
    private let lock = NSLock()

    /// Opens the bare repository at `path`, creating it (and its parent directories)
    /// when it does not exist yet and `create` is true.
    ///
    /// Creation is safe when two processes race: each builds the repository in a
    /// private directory next to `path` and renames it into place; the loser of the
    /// rename opens the winner's repository.
    public init(at path: String, create: Bool = true) throws {
        LibGit2.ensureInitialized()
        self.path = path
        if let opened = try Self.openBare(path) {
            handle = opened
            return
        }
        guard create else {
            throw LineageError(.notFound, "no lineage repository at '\(path)'",
                               hint: "record a run first, or check the workspace directory")
        }
        try Self.createBare(path)
        guard let opened = try Self.openBare(path) else {
            throw LineageError(.wrongType, "'\(path)' exists but is not a git repository",
                               hint: "move that directory away; Anneal creates the lineage repository there")
        }
        handle = opened
    }

    deinit {
        git_repository_free(handle)
    }

    /// The full ref name of a pipeline's run history, `refs/anneal/<pipeline>`,
    /// after checking that git accepts it as a ref name.
    public static func runRef(pipeline: String) throws -> String {
        let name = runRefPrefix + pipeline
        try validateRefName(name)
        return name
    }

    /// Runs `body` with the libgit2 repository while holding the instance lock.
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(handle)
    }

    /// Throws `invalidArgument` unless `name` is a well-formed ref under `refs/`.
    static func validateRefName(_ name: String) throws {
        var valid: Int32 = 0
        try LineageError.check(git_reference_name_is_valid(&valid, name), "cannot check ref name '\(name)'")
        guard valid == 1, name.hasPrefix("refs/"), !name.hasSuffix("/") else {
            throw LineageError(.invalidArgument, "'\(name)' is not a valid ref name",
                               hint: "use a name like refs/anneal/<pipeline> without spaces, '..', '~', '^', ':', '?', '*', '[' or '\\'")
        }
    }

    /// Opens an existing bare repository; nil when there is none at `path`.
    private static func openBare(_ path: String) throws -> OpaquePointer? {
        var repo: OpaquePointer?
        let code = git_repository_open_bare(&repo, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LineageError.check(code, "cannot open the lineage repository at '\(path)'")
        return repo
    }

    /// Builds a bare repository in a private sibling directory and renames it to
    /// `path`, so that no process ever sees a half-made repository.
    private static func createBare(_ path: String) throws {
        let target = URL(fileURLWithPath: path)
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw LineageError(.failed, "cannot create the directory '\(parent.path)': \(error.localizedDescription)",
                               hint: "check the permissions of the workspace")
        }
        let staging = parent.appendingPathComponent(
            ".\(target.lastPathComponent).creating-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        var options = git_repository_init_options()
        try LineageError.check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                               "cannot prepare repository options")
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue
            | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var repo: OpaquePointer?
        try LineageError.check(git_repository_init_ext(&repo, staging, &options),
                               "cannot create a git repository at '\(staging)'",
                               hint: "check the permissions of '\(parent.path)'")
        git_repository_free(repo)
        if rename(staging, path) != 0 {
            let reason = errno
            try? FileManager.default.removeItem(atPath: staging)
            // EEXIST / ENOTEMPTY: another process won the race, or something already
            // lives at `path` (ENOTDIR: a file); opening it next tells which.
            guard reason == EEXIST || reason == ENOTEMPTY || reason == ENOTDIR else {
                throw LineageError(.failed, "cannot move the new repository to '\(path)': \(String(cString: strerror(reason)))",
                                   hint: "check the permissions of '\(parent.path)'")
            }
        }
    }
}
