import CGit2
import Foundation

/// Lookups shared by the reading and writing operations. Every function takes the
/// raw repository handle, so it must be called inside `withHandle`. Each returned
/// pointer belongs to the caller, who frees it.
extension LineageRepository {
    /// The commit `id`; the caller frees it with `git_commit_free`.
    static func lookupCommit(_ id: CommitID, in repo: OpaquePointer) throws -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        let code = git_commit_lookup(&commit, repo, &oid)
        if code == GIT_ENOTFOUND.rawValue {
            throw LineageError(.notFound, "no commit \(id.abbreviated()) in the lineage repository",
                               hint: "list runs with `anneal log`, or pull the history that holds it")
        }
        try LineageError.check(code, "cannot read commit \(id.abbreviated())")
        return commit!
    }

    /// The root tree of commit `id`; the caller frees it with `git_tree_free`.
    static func lookupTree(ofCommit id: CommitID, in repo: OpaquePointer) throws -> OpaquePointer {
        let commit = try lookupCommit(id, in: repo)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try LineageError.check(git_commit_tree(&tree, commit), "cannot read the tree of commit \(id.abbreviated())")
        return tree!
    }

    /// The commit a ref points at, or nil when the ref does not exist.
    static func tipOID(ofRef name: String, in repo: OpaquePointer) throws -> git_oid? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, repo, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LineageError.check(code, "cannot read ref '\(name)'")
        return oid
    }

    /// The summary of one commit, read from the commit object alone (never its tree).
    static func summary(of commit: OpaquePointer) -> CommitSummary {
        let id = CommitID(git_commit_id(commit).pointee)
        let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
            git_commit_parent_id(commit, index).map { CommitID($0.pointee) }
        }
        let signature = git_commit_author(commit)!.pointee
        let author = CommitAuthor(name: String(cString: signature.name), email: String(cString: signature.email),
                                  time: signature.when.time, offsetMinutes: signature.when.offset)
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        return CommitSummary(id: id, parents: parents, author: author, message: message)
    }

    /// Bytes of a blob as `Data`.
    static func blobData(_ blob: OpaquePointer) -> Data {
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: bytes, count: size)
    }
}

extension git_buf {
    /// The buffer's bytes as text (patches are UTF-8 when the files are).
    var text: String {
        guard let ptr, size > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: size), as: UTF8.self)
    }
}
