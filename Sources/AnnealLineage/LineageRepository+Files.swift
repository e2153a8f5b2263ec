import CGit2
import Foundation

extension LineageRepository {
    /// The contents of the file at slash path `path` in `commit`, or nil when the
    /// commit has no file there. Throws `wrongType` when `path` is a directory.
    public func readFile(commit: CommitID, path: String) throws -> Data? {
        try withHandle { repo in
            let tree = try Self.lookupTree(ofCommit: commit, in: repo)
            defer { git_tree_free(tree) }
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, tree, path)
            if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
            try LineageError.check(code, "cannot look up '\(path)' in commit \(commit.abbreviated())")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
                throw LineageError(.wrongType, "'\(path)' is a directory in commit \(commit.abbreviated()), not a file",
                                   hint: "list the files of the run to find the one you want")
            }
            return try Self.readBlob(git_tree_entry_id(entry).pointee, path: path, in: repo)
        }
    }

    /// The slash paths of every file in `commit`, sorted.
    public func listFiles(commit: CommitID) throws -> [String] {
        try withHandle { repo in try Self.fileEntries(ofCommit: commit, in: repo).map(\.path) }
    }

    /// Every file of `commit` with its contents, by slash path (what a checkout writes).
    public func readAllFiles(commit: CommitID) throws -> [String: Data] {
        try withHandle { repo in
            var files: [String: Data] = [:]
            for entry in try Self.fileEntries(ofCommit: commit, in: repo) {
                files[entry.path] = try Self.readBlob(entry.blob, path: entry.path, in: repo)
            }
            return files
        }
    }

    private static func readBlob(_ id: git_oid, path: String, in repo: OpaquePointer) throws -> Data {
        var id = id
        var blob: OpaquePointer?
        try LineageError.check(git_blob_lookup(&blob, repo, &id), "cannot read the contents of '\(path)'")
        defer { git_blob_free(blob) }
        return blobData(blob!)
    }

    /// The files (blobs) of a commit's tree, with their paths, sorted by path.
    private static func fileEntries(ofCommit commit: CommitID, in repo: OpaquePointer) throws -> [(path: String, blob: git_oid)] {
        let tree = try lookupTree(ofCommit: commit, in: repo)
        defer { git_tree_free(tree) }
        let collected = TreeWalkCollector()
        let code = git_tree_walk(tree, GIT_TREEWALK_PRE, { root, entry, payload in
            guard let entry, let payload, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
            let collector = Unmanaged<TreeWalkCollector>.fromOpaque(payload).takeUnretainedValue()
            let prefix = root.map { String(cString: $0) } ?? ""
            collector.entries.append((prefix + String(cString: git_tree_entry_name(entry)), git_tree_entry_id(entry).pointee))
            return 0
        }, Unmanaged.passUnretained(collected).toOpaque())
        try LineageError.check(code, "cannot list the files of commit \(commit.abbreviated())")
        return collected.entries.sorted { $0.path < $1.path }
    }
}

/// Receives the entries of `git_tree_walk`, whose C callback can only reach Swift
/// state through its payload pointer.
private final class TreeWalkCollector {
    var entries: [(path: String, blob: git_oid)] = []
}
