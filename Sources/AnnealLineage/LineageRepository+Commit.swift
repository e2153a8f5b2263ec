import CGit2
import Foundation

extension LineageRepository {
    /// Records one commit on `ref` whose tree holds exactly `files`, and moves the ref to it.
    ///
    /// - Parameters:
    ///   - ref: the full ref name, for example `refs/anneal/tiny-chat` (see `runRef(pipeline:)`).
    ///   - files: file contents by slash-separated path (`recipes/sft.yaml`); directories
    ///     in the paths become git trees. Every file gets mode 100644.
    ///   - message: the commit message; a final newline is added when missing, as git does.
    ///   - author: author and committer, with the time passed in (never read from the clock).
    /// - Returns: the new commit's id.
    ///
    /// The parent is the ref's tip as read at the start (none for the first run). The
    /// ref is then moved with compare-and-swap against that tip, so when another
    /// writer moved it in between, nothing is lost: this call throws `refMoved` and
    /// the caller records again on top of the new tip.
    @discardableResult
    public func commit(ref: String, files: [String: Data], message: String,
                       author: CommitAuthor) throws -> CommitID {
        try Self.validateRefName(ref)
        let tree = try FileTree(files: files)
        let text = message.hasSuffix("\n") ? message : message + "\n"
        return try withHandle { repo in
            let parentOID = try Self.tipOID(ofRef: ref, in: repo)
            var treeOID = try Self.write(tree, in: repo)
            var treeObject: OpaquePointer?
            try LineageError.check(git_tree_lookup(&treeObject, repo, &treeOID), "cannot read back the tree just written")
            defer { git_tree_free(treeObject) }

            var signature: UnsafeMutablePointer<git_signature>?
            try LineageError.check(
                git_signature_new(&signature, author.name, author.email, author.time, author.offsetMinutes),
                "invalid author '\(author.name) <\(author.email)>'",
                hint: "give a non-empty name and email without '<' or '>'")
            defer { git_signature_free(signature) }

            var parents: [OpaquePointer?] = []
            defer { parents.forEach { git_commit_free($0) } }
            if let parentOID {
                parents.append(try Self.lookupCommit(CommitID(parentOID), in: repo))
            }
            var commitOID = git_oid()
            _ = try parents.withUnsafeMutableBufferPointer { buffer in
                try LineageError.check(
                    git_commit_create(&commitOID, repo, nil, signature, signature, nil, text, treeObject,
                                      buffer.count, buffer.baseAddress),
                    "cannot write the commit for '\(ref)'")
            }
            try Self.moveRef(ref, to: commitOID, from: parentOID, in: repo)
            Self.pointHead(at: commitOID, in: repo)
            return CommitID(commitOID)
        }
    }

    /// Writes the blobs and trees of `tree` bottom-up and returns the root tree's id.
    private static func write(_ tree: FileTree, in repo: OpaquePointer) throws -> git_oid {
        var builder: OpaquePointer?
        try LineageError.check(git_treebuilder_new(&builder, repo, nil), "cannot start a tree")
        defer { git_treebuilder_free(builder) }
        for (name, data) in tree.files {
            var blobOID = git_oid()
            let code = data.withUnsafeBytes { bytes in
                git_blob_create_from_buffer(&blobOID, repo, bytes.baseAddress, bytes.count)
            }
            try LineageError.check(code, "cannot write the blob of '\(name)'")
            try LineageError.check(
                git_treebuilder_insert(nil, builder, name, &blobOID, GIT_FILEMODE_BLOB),
                "cannot add '\(name)' to a tree", hint: "rename the file; git refuses that name")
        }
        for (name, subtree) in tree.directories {
            var subtreeOID = try write(subtree, in: repo)
            try LineageError.check(
                git_treebuilder_insert(nil, builder, name, &subtreeOID, GIT_FILEMODE_TREE),
                "cannot add directory '\(name)' to a tree", hint: "rename the directory; git refuses that name")
        }
        var treeOID = git_oid()
        try LineageError.check(git_treebuilder_write(&treeOID, builder), "cannot write a tree")
        return treeOID
    }

    /// Points `ref` at `target` only if it still points at `expected` (or, when
    /// `expected` is nil, only if it does not exist yet).
    static func moveRef(_ ref: String, to target: git_oid, from expected: git_oid?,
                        in repo: OpaquePointer, logMessage: String = "anneal: record run") throws {
        var target = target
        var code: Int32 = 0
        // Another writer holds the ref's lock file only for the instant of its own
        // update; wait for it (up to about a second) rather than fail the run.
        for attempt in 0..<500 {
            var updated: OpaquePointer?
            if var expected {
                code = git_reference_create_matching(&updated, repo, ref, &target, 1, &expected, logMessage)
            } else {
                code = git_reference_create(&updated, repo, ref, &target, 0, logMessage)
            }
            git_reference_free(updated)
            guard code == GIT_ELOCKED.rawValue, attempt < 499 else { break }
            usleep(2_000)
        }
        if code == GIT_EMODIFIED.rawValue || code == GIT_EEXISTS.rawValue {
            throw LineageError.libgit2(code, "'\(ref)' moved while it was being updated (another process wrote to it)",
                                       hint: "read its new tip and try again; nothing was lost", kind: .refMoved)
        }
        try LineageError.check(code, "cannot update '\(ref)'")
    }

    /// Detaches HEAD at `commit`, the newest recorded run, so that plain
    /// `git --git-dir lineage.git log` shows it. (A symbolic HEAD would have to name a
    /// branch under refs/heads/, or `git fsck` reports it as broken.)
    ///
    /// HEAD is only a convenience for people using git directly: when another process
    /// holds its lock, the run is already safely recorded on its ref, so a failure
    /// here is not an error.
    static func pointHead(at commit: git_oid, in repo: OpaquePointer) {
        var commit = commit
        _ = git_repository_set_head_detached(repo, &commit)
    }
}
