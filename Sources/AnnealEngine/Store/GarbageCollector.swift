import AnnealSpec
import Foundation

/// Removes what no kept run refers to: objects, cache entries whose outputs
/// are gone, folders rebuilt from manifests; and work folders no step will
/// resume from (see `collectWork`).
public struct GarbageCollector {
    public let workspace: Workspace

    public struct Report: Sendable {
        public var objectsRemoved = 0
        public var bytesFreed: Int64 = 0
        public var actionsRemoved = 0
        public var runsDropped = 0
        public var objectsKept = 0
        /// Work folders of steps whose result is cached (their checkpoints can
        /// never be needed again), and attempt folders left by runners that are gone.
        public var workFoldersRemoved = 0
        public var attemptsRemoved = 0
    }

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Keeps the last `keepLast` runs of each pipeline (all when nil) and
    /// everything they refer to; with `dryRun` only counts.
    public func collect(keepLast: Int?, dryRun: Bool) -> Report {
        var report = Report()
        let history = RunHistory(workspace: workspace)
        var live = Set<Digest>()
        for pipeline in history.pipelines {
            let numbers = history.numbers(pipeline)
            let kept = keepLast.map { Array(numbers.suffix($0)) } ?? numbers
            for n in numbers where !kept.contains(n) {
                report.runsDropped += 1
                if !dryRun { history.remove(pipeline, n) }
            }
            for n in kept {
                for step in history.load(pipeline, n)?["steps"]?.list ?? [] {
                    for o in step["outputs"]?.map?.values.compactMap(StoredArtifact.init) ?? [] { mark(o, &live) }
                }
            }
        }
        for f in workspace.actions.allFingerprints() {
            guard let entry = workspace.actions.lookup(f) else { continue }
            if entry.outputs.values.allSatisfy({ live.contains($0.digest) }) { continue }
            report.actionsRemoved += 1
            if !dryRun { workspace.actions.remove(f) }
        }
        for d in workspace.store.allObjects() {
            if live.contains(d) {
                report.objectsKept += 1
                continue
            }
            report.objectsRemoved += 1
            if dryRun {
                report.bytesFreed += Int64(HashMemo.stamp(workspace.store.path(of: d))?.size ?? 0)
            } else {
                report.bytesFreed += workspace.store.remove(d)
            }
        }
        collectWork(&report, dryRun: dryRun)
        if !dryRun {
            let trees = "\(workspace.dot)/trees"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: trees)) ?? [] {
                if let d = Digest(hex: name), live.contains(d) { continue }
                try? FileManager.default.removeItem(atPath: "\(trees)/\(name)")
            }
            try? FileManager.default.removeItem(atPath: "\(workspace.dot)/objects/tmp")
            try? FileManager.default.createDirectory(atPath: "\(workspace.dot)/objects/tmp", withIntermediateDirectories: true)
        }
        return report
    }

    /// Work folders hold checkpoints, so that an interrupted step resumes. A
    /// step whose result is in the cache never resumes again, so its folder
    /// goes; so do attempt folders (a step's description, output folder and
    /// scratch files for one try), which only a running runner uses, and gc
    /// holds the workspace lock. The checkpoints of unfinished steps stay.
    func collectWork(_ report: inout Report, dryRun: Bool) {
        let work = "\(workspace.dot)/work"
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: work)) ?? [] {
            let folder = "\(work)/\(name)"
            if let fingerprint = Digest(hex: name), workspace.actions.lookup(fingerprint) != nil {
                report.workFoldersRemoved += 1
                if !dryRun { try? fm.removeItem(atPath: folder) }
                continue
            }
            for entry in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix("attempt-") {
                report.attemptsRemoved += 1
                if !dryRun { try? fm.removeItem(atPath: "\(folder)/\(entry)") }
            }
        }
    }

    func mark(_ artifact: StoredArtifact, _ live: inout Set<Digest>) {
        live.insert(artifact.digest)
        if artifact.shape == .directory, let m = try? workspace.store.manifest(artifact.digest) {
            for e in m.entries { live.insert(e.digest) }
        }
    }
}
