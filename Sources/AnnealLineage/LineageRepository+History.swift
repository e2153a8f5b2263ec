import CGit2

extension LineageRepository {
    /// The commit `ref` points at, or nil when no run was recorded on it yet.
    public func tip(ref: String) throws -> CommitID? {
        try Self.validateRefName(ref)
        return try withHandle { repo in try Self.tipOID(ofRef: ref, in: repo).map(CommitID.init) }
    }

    /// The commits of `ref`, newest first, at most `limit` of them (all when nil).
    ///
    /// Walks commit objects only (`git_revwalk`), never their trees, so listing a
    /// long history stays fast. Throws `notFound` when the ref does not exist.
    public func history(ref: String, limit: Int? = nil) throws -> [CommitSummary] {
        try Self.validateRefName(ref)
        return try withHandle { repo in
            guard let tip = try Self.tipOID(ofRef: ref, in: repo) else {
                throw LineageError(.notFound, "no runs recorded on '\(ref)'",
                                   hint: "check the pipeline name, or pull the history from a remote")
            }
            return try Self.walk(from: tip, limit: limit, in: repo)
        }
    }

    /// The commits reachable from `commit` (itself first), newest first, at most
    /// `limit` of them (all when nil).
    public func history(from commit: CommitID, limit: Int? = nil) throws -> [CommitSummary] {
        try withHandle { repo in
            git_commit_free(try Self.lookupCommit(commit, in: repo))
            return try Self.walk(from: commit.oid, limit: limit, in: repo)
        }
    }

    /// What `git log` shows of one commit: parents, author, time and message.
    public func summary(of commit: CommitID) throws -> CommitSummary {
        try withHandle { repo in
            let object = try Self.lookupCommit(commit, in: repo)
            defer { git_commit_free(object) }
            return Self.summary(of: object)
        }
    }

    /// Every ref whose name starts with `prefix` and that points (perhaps through a
    /// tag) at a commit, sorted by name.
    public func refs(prefix: String = LineageRepository.runRefPrefix) throws -> [LineageRef] {
        try withHandle { repo in try Self.listRefs(prefix: prefix, in: repo) }
    }

    static func listRefs(prefix: String, in repo: OpaquePointer) throws -> [LineageRef] {
        var iterator: OpaquePointer?
        try LineageError.check(git_reference_iterator_new(&iterator, repo), "cannot list refs")
        defer { git_reference_iterator_free(iterator) }
        var found: [LineageRef] = []
        while true {
            var ref: OpaquePointer?
            let code = git_reference_next(&ref, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try LineageError.check(code, "cannot list refs")
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            guard name.hasPrefix(prefix) else { continue }
            var commit: OpaquePointer?
            // A ref that does not lead to a commit (a tag of a blob, say) is not a run history.
            guard git_reference_peel(&commit, ref, GIT_OBJECT_COMMIT) == 0 else { continue }
            found.append(LineageRef(name: name, tip: CommitID(git_object_id(commit).pointee)))
            git_object_free(commit)
        }
        return found.sorted { $0.name < $1.name }
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: CommitID, of descendant: CommitID) throws -> Bool {
        try withHandle { repo in try Self.isAncestor(ancestor.oid, of: descendant.oid, in: repo) }
    }

    static func isAncestor(_ ancestor: git_oid, of descendant: git_oid, in repo: OpaquePointer) throws -> Bool {
        var ancestor = ancestor, descendant = descendant
        if git_oid_equal(&ancestor, &descendant) != 0 { return true }
        let code = git_graph_descendant_of(repo, &descendant, &ancestor)
        try LineageError.check(code, "cannot compare the histories of \(CommitID(ancestor).abbreviated()) and \(CommitID(descendant).abbreviated())")
        return code == 1
    }

    private static func walk(from start: git_oid, limit: Int?, in repo: OpaquePointer) throws -> [CommitSummary] {
        if let limit, limit <= 0 { return [] }
        var walker: OpaquePointer?
        try LineageError.check(git_revwalk_new(&walker, repo), "cannot start a history walk")
        defer { git_revwalk_free(walker) }
        try LineageError.check(git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "cannot sort the history walk")
        var start = start
        try LineageError.check(git_revwalk_push(walker, &start), "cannot walk from \(CommitID(start).abbreviated())")
        var summaries: [CommitSummary] = []
        var oid = git_oid()
        while limit.map({ summaries.count < $0 }) ?? true {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try LineageError.check(code, "cannot walk the history")
            var commit: OpaquePointer?
            try LineageError.check(git_commit_lookup(&commit, repo, &oid), "cannot read commit \(CommitID(oid).abbreviated())")
            summaries.append(summary(of: commit!))
            git_commit_free(commit)
        }
        return summaries
    }
}
