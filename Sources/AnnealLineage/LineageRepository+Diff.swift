import CGit2
import Foundation

extension LineageRepository {
    /// What changed from `from` to `to`, as unified patch text and as a list of files.
    ///
    /// - Parameters:
    ///   - from: the older commit; nil compares with an empty tree (everything added).
    ///   - to: the newer commit.
    ///   - paths: when given, only files matching these git pathspecs (a file, a
    ///     directory such as `recipes`, or a glob such as `*.yaml`).
    ///   - contextLines: unchanged lines shown around each change.
    public func diff(from: CommitID?, to: CommitID, paths: [String]? = nil,
                     contextLines: Int = 3) throws -> LineageDiff {
        guard contextLines >= 0 else {
            throw LineageError(.invalidArgument, "contextLines must be 0 or more, not \(contextLines)")
        }
        return try withHandle { repo in
            let newTree = try Self.lookupTree(ofCommit: to, in: repo)
            defer { git_tree_free(newTree) }
            let oldTree = try from.map { try Self.lookupTree(ofCommit: $0, in: repo) }
            defer { git_tree_free(oldTree) }

            var options = git_diff_options()
            try LineageError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)),
                                   "cannot prepare diff options")
            options.context_lines = UInt32(min(contextLines, Int(UInt32.max)))
            var diff: OpaquePointer?
            try CStringArray.with(paths ?? []) { pathspec in
                options.pathspec = pathspec
                try LineageError.check(git_diff_tree_to_tree(&diff, repo, oldTree, newTree, &options),
                                       "cannot diff \(from?.abbreviated() ?? "the empty tree") with \(to.abbreviated())")
            }
            defer { git_diff_free(diff) }
            let changes = try (0..<git_diff_num_deltas(diff)).map { try Self.changedPath(diff!, index: $0) }
            return LineageDiff(patch: changes.map(\.patch).joined(), changes: changes)
        }
    }

    /// The `index`th file of `diff` with its patch text (`git_patch_to_buf`) and line counts.
    private static func changedPath(_ diff: OpaquePointer, index: Int) throws -> ChangedPath {
        let delta = git_diff_get_delta(diff, index)!.pointee
        let oldPath = String(cString: delta.old_file.path)
        let newPath = String(cString: delta.new_file.path)
        var patch: OpaquePointer?
        try LineageError.check(git_patch_from_diff(&patch, diff, index), "cannot make the patch of '\(newPath)'")
        defer { git_patch_free(patch) }
        var additions = 0, deletions = 0
        var text = ""
        if let patch {
            try LineageError.check(git_patch_line_stats(nil, &additions, &deletions, patch),
                                   "cannot count the changed lines of '\(newPath)'")
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            try LineageError.check(git_patch_to_buf(&buffer, patch), "cannot print the patch of '\(newPath)'")
            text = buffer.text
        }
        let change: ChangedPath.Change
        switch delta.status {
        case GIT_DELTA_ADDED: change = .added
        case GIT_DELTA_DELETED: change = .deleted
        case GIT_DELTA_RENAMED: change = .renamed
        case GIT_DELTA_TYPECHANGE: change = .typeChanged
        default: change = .modified
        }
        return ChangedPath(path: change == .deleted ? oldPath : newPath, oldPath: oldPath, change: change,
                           additions: additions, deletions: deletions,
                           isBinary: delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0, patch: text)
    }
}
