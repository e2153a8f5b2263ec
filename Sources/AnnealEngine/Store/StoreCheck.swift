import Foundation

/// What `anneal fsck` does: re-hashes every object, checks every action-cache
/// entry (its checksum, and that its components hash to its name), and finds
/// entries that can no longer be trusted because an output or an input they
/// name is corrupt or gone. With `repair`, corrupt objects and those entries
/// are removed, so the steps behind them rerun.
public struct StoreCheck {
    public let workspace: Workspace

    public struct Report: Sendable {
        public var objectsChecked = 0
        /// Paths of objects whose bytes do not hash to their names.
        public var corruptObjects: [String] = []
        public var entriesChecked = 0
        /// Each untrusted entry's path and why.
        public var badEntries: [(path: String, reason: String)] = []

        public var isClean: Bool { corruptObjects.isEmpty && badEntries.isEmpty }
    }

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func run(repair: Bool) -> Report {
        var report = Report()
        let store = workspace.store
        var corrupt = Set<Digest>()
        let all = store.allObjects()
        for d in all {
            report.objectsChecked += 1
            if !store.isIntact(d, thorough: true) {
                corrupt.insert(d)
                report.corruptObjects.append(store.path(of: d))
            }
        }
        let present = Set(all).subtracting(corrupt)
        // An object named by an entry is usable if it, and for a folder every
        // file its manifest lists, is present and intact.
        func usable(_ artifact: StoredArtifact) -> Bool {
            guard present.contains(artifact.digest) else { return false }
            guard artifact.shape == .directory else { return true }
            guard let m = try? store.manifest(artifact.digest) else { return false }
            return m.entries.allSatisfy { present.contains($0.digest) }
        }
        // An input is suspect only if its bytes are known bad (an object gc
        // removed later says nothing about what the step read).
        func isCorrupt(_ digest: Digest, _ artifact: StoredArtifact?) -> Bool {
            if corrupt.contains(digest) { return true }
            guard artifact?.shape == .directory, present.contains(digest), let m = try? store.manifest(digest) else { return false }
            return m.entries.contains { corrupt.contains($0.digest) }
        }
        var entries: [(Digest, ActionCache.Entry)] = []
        for f in workspace.actions.allFingerprints() {
            report.entriesChecked += 1
            do {
                if let entry = try workspace.actions.load(f) { entries.append((f, entry)) }
            } catch {
                report.badEntries.append((workspace.actions.path(f), "\(error)"))
            }
        }
        // What every output digest is (a file or a folder), to check inputs that are outputs.
        var artifacts: [Digest: StoredArtifact] = [:]
        for (_, entry) in entries { for o in entry.outputs.values { artifacts[o.digest] = o } }
        for (f, entry) in entries {
            var reason: String?
            for (name, o) in entry.outputs.sorted(by: { $0.key < $1.key }) where !usable(o) {
                reason = "output \(name) (\(o.digest.short)) is \(corrupt.contains(o.digest) ? "corrupt" : "corrupt or missing")"
                break
            }
            if reason == nil {
                for (field, d) in entry.components.inputs.sorted(by: { $0.key < $1.key }) where isCorrupt(d, artifacts[d]) {
                    reason = "input \(field) (\(d.short)) is corrupt: the step may have read bad bytes"
                    break
                }
            }
            if let reason { report.badEntries.append((workspace.actions.path(f), reason)) }
        }
        if repair {
            for d in corrupt { store.remove(d) }
            for (path, _) in report.badEntries { unlink(path) }
        }
        return report
    }
}
