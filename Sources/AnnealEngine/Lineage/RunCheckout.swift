import AnnealSpec
import Foundation

/// Copies the outputs of a recorded run out of the object store into a folder,
/// `DIR/<step>/<output>`, and says which outputs could not be written because
/// their objects are gone (after `anneal gc`) and so which steps must be rerun.
public struct RunCheckout: Sendable {
    /// An output written to `path`.
    public struct Written: Sendable {
        public var artifact: ArtifactReference
        public var stored: StoredArtifact
        public var path: String
    }

    /// The run checked out.
    public let run: RecordedRun
    /// The outputs written, in plan order.
    public let written: [Written]
    /// Outputs the run produced whose objects are no longer (intact) in the store.
    public let missing: [ArtifactReference]
    /// Selected steps that produced nothing in that run (skipped, failed, interrupted).
    public let unproduced: [String]

    /// The steps whose outputs are missing: rerunning them brings the objects back.
    public var stepsToRerun: [String] {
        var seen = Set<String>()
        return missing.map(\.step).filter { seen.insert($0).inserted }
    }

    /// Writes the outputs of `steps` (every step when nil) of `run` into `directory`
    /// as copies (never links into the store, so editing them cannot corrupt it).
    /// Refuses to overwrite anything already there.
    public init(run: RecordedRun, steps: [String]?, to directory: String, store: ObjectStore) throws {
        self.run = run
        let selected: [RecordedStep]
        if let steps {
            selected = try steps.map { name in
                guard let step = run.step(named: name) else {
                    throw LineageQueryError("\(run.id) has no step '\(name)'\(Suggestion.didYouMean(name, in: run.steps.map(\.name)))",
                                            hint: "`anneal show \(run.id)` lists its steps")
                }
                return step
            }
        } else {
            selected = run.steps
        }
        let fm = FileManager.default
        var targets: [(ArtifactReference, StoredArtifact, String)] = []
        var missing: [ArtifactReference] = [], unproduced: [String] = []
        for step in selected {
            if step.record.outputs.isEmpty && !step.declaredOutputs.isEmpty { unproduced.append(step.name) }
            for (name, stored) in step.record.outputs.sorted(by: { $0.key < $1.key }) {
                let artifact = ArtifactReference(step: step.name, output: name)
                guard store.isIntact(stored) else {
                    missing.append(artifact)
                    continue
                }
                let path = "\(directory)/\(StepPaths.folderName(step.name))/\(name)"
                if fm.fileExists(atPath: path) {
                    throw LineageQueryError("\(path) already exists; checkout never overwrites",
                                            hint: "remove it, or check out into another folder with --to")
                }
                targets.append((artifact, stored, path))
            }
        }
        // Each output is copied under a temporary name beside its place, then renamed.
        var written: [Written] = []
        for (artifact, stored, path) in targets {
            let parent = (path as NSString).deletingLastPathComponent
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            let temp = "\(parent)/.checkout-\(getpid())-\((path as NSString).lastPathComponent)"
            try? fm.removeItem(atPath: temp)
            do {
                try store.materialize(stored, at: temp, link: false)
            } catch {
                try? fm.removeItem(atPath: temp)
                throw LineageQueryError("cannot copy \(artifact) to \(path): \(error)", hint: "check the permissions and free space of \(directory)")
            }
            guard rename(temp, path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(atPath: temp)
                throw LineageQueryError("cannot move \(artifact) into place at \(path): \(reason)", hint: "check the permissions of \(parent)")
            }
            written.append(Written(artifact: artifact, stored: stored, path: path))
        }
        self.written = written
        self.missing = missing
        self.unproduced = unproduced
    }
}
