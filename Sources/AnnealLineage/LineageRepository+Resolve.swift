import CGit2

extension LineageRepository {
    /// The commit a person means by `revision`, tried in this order:
    /// a full ref name (`refs/anneal/tiny-chat`); a pipeline name (`tiny-chat`, meaning
    /// `refs/anneal/tiny-chat`), optionally followed by git's `~N` / `^` suffixes
    /// (`tiny-chat~1` is the run before the last); a commit hash or a prefix of one
    /// (at least 4 hex digits); any other git revision (`HEAD~2`).
    ///
    /// Throws `ambiguous` (listing the candidates) when a prefix matches several
    /// commits, `notFound` when nothing matches, `wrongType` when it names a
    /// tree or a blob rather than a commit.
    public func resolve(revision: String) throws -> CommitID {
        let revision = revision.trimmingCharacters(in: .whitespaces)
        guard !revision.isEmpty else {
            throw LineageError(.invalidArgument, "an empty revision names no run",
                               hint: "give a commit hash prefix (4 or more hex digits) or a pipeline name")
        }
        return try withHandle { repo in
            if revision.hasPrefix("refs/"), let tip = try Self.existingTip(revision, in: repo) {
                return CommitID(tip)
            }
            if let tip = try Self.existingTip(Self.runRefPrefix + revision, in: repo) {
                return CommitID(tip)
            }
            if Self.isHexPrefix(revision), let id = try Self.lookupPrefix(revision, in: repo) {
                return id
            }
            return try Self.revparse(Self.expandingPipelineName(revision, in: repo), shownAs: revision, in: repo)
        }
    }

    private static func isHexPrefix(_ text: String) -> Bool {
        (4...40).contains(text.utf8.count) && text.utf8.allSatisfy(\.isHexDigit)
    }

    /// The tip of `name` when it is a valid ref that exists; nil otherwise.
    private static func existingTip(_ name: String, in repo: OpaquePointer) throws -> git_oid? {
        var valid: Int32 = 0
        guard git_reference_name_is_valid(&valid, name) == 0, valid == 1 else { return nil }
        return try tipOID(ofRef: name, in: repo)
    }

    /// `tiny-chat~2` becomes `refs/anneal/tiny-chat~2` when that pipeline has a history.
    private static func expandingPipelineName(_ revision: String, in repo: OpaquePointer) throws -> String {
        guard let suffixStart = revision.firstIndex(where: { $0 == "~" || $0 == "^" }) else { return revision }
        let base = runRefPrefix + revision[..<suffixStart]
        return try existingTip(base, in: repo) == nil ? revision : base + revision[suffixStart...]
    }

    /// The commit whose id starts with `prefix`; nil when no object does.
    private static func lookupPrefix(_ prefix: String, in repo: OpaquePointer) throws -> CommitID? {
        var oid = git_oid()
        try LineageError.check(git_oid_fromstrn(&oid, prefix, prefix.utf8.count), "'\(prefix)' is not a hex prefix")
        var object: OpaquePointer?
        let code = git_object_lookup_prefix(&object, repo, &oid, prefix.utf8.count, GIT_OBJECT_ANY)
        defer { git_object_free(object) }
        switch code {
        case GIT_ENOTFOUND.rawValue:
            return nil
        case GIT_EAMBIGUOUS.rawValue:
            // The prefix matches several objects of any kind (blobs and trees too); like
            // git, prefer the one commit among them if there is exactly one.
            return try uniqueCommit(withPrefix: prefix.lowercased(), in: repo)
        default:
            try LineageError.check(code, "cannot look up '\(prefix)'")
            return try peelToCommit(object!, shownAs: prefix)
        }
    }

    /// Searches the commits reachable from any ref for ids starting with `prefix`.
    private static func uniqueCommit(withPrefix prefix: String, in repo: OpaquePointer) throws -> CommitID {
        var walker: OpaquePointer?
        try LineageError.check(git_revwalk_new(&walker, repo), "cannot start a history walk")
        defer { git_revwalk_free(walker) }
        try LineageError.check(git_revwalk_push_glob(walker, "refs/*"), "cannot walk the refs")
        var matches: [CommitSummary] = []
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try LineageError.check(code, "cannot walk the history")
            let id = CommitID(oid)
            guard id.hex.hasPrefix(prefix) else { continue }
            var commit: OpaquePointer?
            try LineageError.check(git_commit_lookup(&commit, repo, &oid), "cannot read commit \(id.abbreviated())")
            matches.append(summary(of: commit!))
            git_commit_free(commit)
        }
        if matches.count == 1 { return matches[0].id }
        let listed = matches.prefix(5).map { "\($0.id.abbreviated(12)) \($0.subject)" }.joined(separator: "; ")
        throw LineageError(.ambiguous,
                           matches.isEmpty ? "'\(prefix)' matches several objects, none of them a recorded run"
                                           : "'\(prefix)' matches \(matches.count) runs: \(listed)",
                           hint: "give more hex digits of the commit id")
    }

    private static func revparse(_ spec: String, shownAs revision: String, in repo: OpaquePointer) throws -> CommitID {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, repo, spec)
        defer { git_object_free(object) }
        switch code {
        case 0:
            return try peelToCommit(object!, shownAs: revision)
        case GIT_ENOTFOUND.rawValue, GIT_EINVALIDSPEC.rawValue:
            throw LineageError.libgit2(code, "no run, pipeline or commit is named '\(revision)'",
                                       hint: "give a commit hash prefix (4 or more hex digits) or a pipeline name; `anneal log` lists them",
                                       kind: .notFound)
        case GIT_EAMBIGUOUS.rawValue:
            throw LineageError.libgit2(code, "'\(revision)' matches more than one object",
                                       hint: "give more hex digits of the commit id")
        default:
            throw LineageError.libgit2(code, "cannot resolve '\(revision)'")
        }
    }

    private static func peelToCommit(_ object: OpaquePointer, shownAs revision: String) throws -> CommitID {
        var commit: OpaquePointer?
        let code = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        defer { git_object_free(commit) }
        guard code == 0, let commit else {
            let kind = String(cString: git_object_type2string(git_object_type(object)))
            throw LineageError(.wrongType, "'\(revision)' names a \(kind), not a run commit",
                               hint: "give the hash of a commit; `anneal log` lists them")
        }
        return CommitID(git_object_id(commit).pointee)
    }
}
