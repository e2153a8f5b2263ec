import CGit2
import Foundation

extension LineageRepository {
    /// Sends run histories to another git repository (a path or a URL), so a team
    /// shares lineage.
    ///
    /// Every local ref matching a refspec's source is sent to its destination. A ref
    /// that would not move forward on the remote (the remote has runs this repository
    /// lacks) refuses the whole push, naming the refs, before anything is sent —
    /// unless `force` is true or the refspec starts with `+`, which overwrite the
    /// remote's ref. Refs that already agree are reported `upToDate` and not sent.
    @discardableResult
    public func push(remote: String, refspecs: [String] = [LineageRepository.runRefspec],
                     force: Bool = false) throws -> [RefUpdate] {
        let specs = try refspecs.map { try Refspec($0, forFetch: false) }
        return try withHandle { repo in
            var outgoing: [(source: String, update: RefUpdate, forced: Bool)] = []
            for ref in try Self.listRefs(prefix: "refs/", in: repo) {
                guard let (spec, destination) = try Self.firstMatch(of: ref.name, in: specs) else { continue }
                outgoing.append((ref.name, RefUpdate(ref: destination, old: nil, new: ref.tip, outcome: .created),
                                 force || spec.isForced))
            }
            guard !outgoing.isEmpty else { return [] }
            let connection = try RemoteConnection(remote, in: repo)
            let remoteRefs = try connection.connectAndListRefs(GIT_DIRECTION_PUSH)
            git_remote_disconnect(connection.remote)

            var refused: [String] = []
            for index in outgoing.indices {
                let planned = outgoing[index]
                guard let theirs = remoteRefs[planned.update.ref] else { continue }
                let outcome = try Self.outcome(moving: CommitID(theirs), to: planned.update.new,
                                               forced: planned.forced, in: repo)
                guard let outcome else {
                    refused.append("\(planned.update.ref) (\(try Self.divergence(ours: planned.update.new.oid, theirs: theirs, in: repo)))")
                    continue
                }
                outgoing[index].update = RefUpdate(ref: planned.update.ref, old: CommitID(theirs),
                                                   new: planned.update.new, outcome: outcome)
            }
            guard refused.isEmpty else {
                throw LineageError(.nonFastForward,
                                   "push to '\(remote)' refused, nothing was sent: \(refused.joined(separator: "; "))",
                                   hint: "pull from '\(remote)' first, or push with force to overwrite the remote's refs (their extra runs would be dropped)")
            }
            let sending = outgoing.filter { $0.update.outcome != .upToDate }
            if !sending.isEmpty {
                try Self.send(sending.map { "\($0.forced ? "+" : "")\($0.source):\($0.update.ref)" }, over: connection)
            }
            return outgoing.map(\.update)
        }
    }

    /// Fetches run histories from another git repository (a path or a URL) and moves
    /// the local refs forward to them.
    ///
    /// Each remote ref matching a refspec's source updates its local destination
    /// only as a fast-forward; a local ref that already contains the remote's runs is
    /// left as it is (`localAhead`). When any local ref has diverged from the remote
    /// one, the whole pull is refused, naming the refs, and no ref changes — unless
    /// `force` is true or the refspec starts with `+`, which set the local ref to the
    /// remote's (its local-only runs are then no longer on the ref).
    @discardableResult
    public func pull(remote: String, refspecs: [String] = [LineageRepository.runRefspec],
                     force: Bool = false) throws -> [RefUpdate] {
        let specs = try refspecs.map { try Refspec($0, forFetch: true) }
        return try withHandle { repo in
            let connection = try RemoteConnection(remote, in: repo)
            var incoming: [(ref: String, theirs: git_oid, forced: Bool)] = []
            for (name, oid) in try connection.connectAndListRefs(GIT_DIRECTION_FETCH).sorted(by: { $0.key < $1.key }) {
                guard let (spec, destination) = try Self.firstMatch(of: name, in: specs) else { continue }
                try Self.validateRefName(destination)
                incoming.append((destination, oid, force || spec.isForced))
            }
            guard !incoming.isEmpty else { return [] }
            try Self.download(refspecs, over: connection, expecting: incoming.map(\.theirs), in: repo)

            var updates: [RefUpdate] = []
            var refused: [String] = []
            for planned in incoming {
                let theirs = CommitID(planned.theirs)
                guard let mine = try Self.tipOID(ofRef: planned.ref, in: repo) else {
                    updates.append(RefUpdate(ref: planned.ref, old: nil, new: theirs, outcome: .created))
                    continue
                }
                if try Self.isAncestor(planned.theirs, of: mine, in: repo) {
                    updates.append(RefUpdate(ref: planned.ref, old: CommitID(mine), new: CommitID(mine),
                                             outcome: theirs == CommitID(mine) ? .upToDate : .localAhead))
                } else if let outcome = try Self.outcome(moving: CommitID(mine), to: theirs, forced: planned.forced, in: repo) {
                    updates.append(RefUpdate(ref: planned.ref, old: CommitID(mine), new: theirs, outcome: outcome))
                } else {
                    refused.append("\(planned.ref) (this repository and '\(remote)' each have runs the other lacks)")
                }
            }
            guard refused.isEmpty else {
                throw LineageError(.nonFastForward,
                                   "pull from '\(remote)' refused, no ref was changed: \(refused.joined(separator: "; "))",
                                   hint: "the histories diverged; pull with force to replace the local refs with the remote's (local-only runs would no longer be on them), or push the local runs elsewhere first")
            }
            for update in updates where update.outcome != .upToDate && update.outcome != .localAhead {
                try Self.moveRef(update.ref, to: update.new.oid, from: update.old?.oid, in: repo,
                                 logMessage: "anneal: pull from \(remote)")
            }
            if git_repository_head_unborn(repo) == 1, let first = updates.first {
                Self.pointHead(at: first.new.oid, in: repo)
            }
            return updates
        }
    }

    /// The first refspec matching `name`, with the destination it maps `name` to.
    private static func firstMatch(of name: String, in specs: [Refspec]) throws -> (Refspec, String)? {
        for spec in specs {
            if let destination = try spec.destination(of: name) { return (spec, destination) }
        }
        return nil
    }

    /// How a ref at `old` moves to `new`: nil when that would drop commits and is not forced.
    private static func outcome(moving old: CommitID, to new: CommitID, forced: Bool,
                                in repo: OpaquePointer) throws -> RefUpdate.Outcome? {
        if old == new { return .upToDate }
        if try isKnown(old.oid, in: repo), try isAncestor(old.oid, of: new.oid, in: repo) { return .fastForwarded }
        return forced ? .forced : nil
    }

    /// Why pushing `ours` over the remote's `theirs` is not a fast-forward, in words.
    private static func divergence(ours: git_oid, theirs: git_oid, in repo: OpaquePointer) throws -> String {
        guard try isKnown(theirs, in: repo) else { return "the remote has runs you have not pulled" }
        if try isAncestor(ours, of: theirs, in: repo) { return "the remote is ahead of this repository" }
        return "the histories diverged"
    }

    private static func isKnown(_ oid: git_oid, in repo: OpaquePointer) throws -> Bool {
        var odb: OpaquePointer?
        try LineageError.check(git_repository_odb(&odb, repo), "cannot open the object database")
        defer { git_odb_free(odb) }
        return withUnsafePointer(to: oid) { git_odb_exists(odb, $0) } == 1
    }

    private static func send(_ refspecs: [String], over connection: RemoteConnection) throws {
        var options = git_push_options()
        try LineageError.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "cannot prepare push options")
        options.callbacks = connection.callbacks
        try CStringArray.with(refspecs) { array in
            try LineageError.check(git_remote_push(connection.remote, &array, &options),
                                   "push to '\(connection.location)' failed",
                                   hint: "check that the remote exists and accepts pushes, then push again")
        }
        guard connection.pushRejections.isEmpty else {
            throw LineageError(.remote, "'\(connection.location)' rejected: \(connection.pushRejections.joined(separator: "; "))",
                               hint: "pull from it first, then push again")
        }
    }

    /// Downloads the objects behind the remote refs without touching any ref, then
    /// checks that every expected commit arrived.
    private static func download(_ refspecs: [String], over connection: RemoteConnection,
                                 expecting tips: [git_oid], in repo: OpaquePointer) throws {
        var options = git_fetch_options()
        try LineageError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "cannot prepare fetch options")
        options.callbacks = connection.callbacks
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        try CStringArray.with(refspecs) { array in
            try LineageError.check(git_remote_download(connection.remote, &array, &options),
                                   "cannot download from '\(connection.location)'",
                                   hint: "check the path or URL, the network and the credentials")
        }
        for tip in tips where try !isKnown(tip, in: repo) {
            throw LineageError(.remote, "'\(connection.location)' did not send commit \(CommitID(tip).abbreviated())",
                               hint: "the remote may be corrupt; check it with `git fsck`")
        }
    }
}
