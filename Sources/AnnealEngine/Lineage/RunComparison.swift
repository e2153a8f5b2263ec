import AnnealLineage
import AnnealSpec

/// What differs between two recorded runs: the pipeline and recipe text, the
/// params, each step's configuration, which fingerprints differ and why, which
/// outputs came out different, and how the metrics moved.
public struct RunComparison: Sendable {
    /// The config leaves of one step that differ (`with.lr 0.1 -> 0.2`).
    public struct ConfigChange: Sendable {
        public var step: String
        public var changes: [ValueLeaves.Change]
    }

    /// A step whose fingerprint differs, and why, field by field.
    public struct FingerprintChange: Sendable {
        public var step: String
        public var old: Digest?
        public var new: Digest?
        public var reasons: [String]
    }

    /// An output whose digest differs (nil: not produced in that run).
    public struct OutputChange: Sendable {
        public var artifact: ArtifactReference
        public var old: Digest?
        public var new: Digest?
    }

    /// One metric of one step in both runs; `delta` when both are numbers.
    public struct MetricChange: Sendable {
        public var step: String
        public var metric: String
        public var old: String?
        public var new: String?
        public var delta: Double?
    }

    /// The older run.
    public let old: RecordedRun
    /// The newer run.
    public let new: RecordedRun
    /// The pipeline and recipe files as `git diff` shows them.
    public let sourceDiff: LineageDiff
    /// The params that differ, by dotted name.
    public let params: [ValueLeaves.Change]
    /// Steps only the newer run has, in plan order.
    public let addedSteps: [String]
    /// Steps only the older run has, in plan order.
    public let removedSteps: [String]
    /// Steps in both whose configuration differs, in plan order.
    public let configs: [ConfigChange]
    /// Steps in both whose fingerprint differs, in plan order, with why.
    public let fingerprints: [FingerprintChange]
    /// Outputs whose digest differs, in plan order.
    public let outputs: [OutputChange]
    /// Every metric either run recorded, changed or not, in plan order.
    public let metrics: [MetricChange]

    /// Compares `old` with `new`, reading the source diff from `repository`.
    public init(old: RecordedRun, new: RecordedRun, repository: LineageRepository) throws {
        self.old = old
        self.new = new
        sourceDiff = try repository.diff(from: old.commit.id, to: new.commit.id, paths: ["files", "recipes"])
        params = ValueLeaves.changes(from: old.params, to: new.params)
        let oldNames = Set(old.steps.map(\.name)), newNames = Set(new.steps.map(\.name))
        addedSteps = new.steps.map(\.name).filter { !oldNames.contains($0) }
        removedSteps = old.steps.map(\.name).filter { !newNames.contains($0) }

        var configs: [ConfigChange] = [], fingerprints: [FingerprintChange] = []
        var outputs: [OutputChange] = [], metrics: [MetricChange] = []
        for step in new.steps {
            guard let before = old.step(named: step.name) else { continue }
            let configChanges = ValueLeaves.changes(from: before.config, to: step.config).map {
                ValueLeaves.Change(key: $0.key.isEmpty ? "with" : "with.\($0.key)", old: $0.old, new: $0.new)
            }
            if !configChanges.isEmpty { configs.append(ConfigChange(step: step.name, changes: configChanges)) }
            let a = before.record, b = step.record
            if a.fingerprint != b.fingerprint {
                var reasons: [String]
                if let pc = a.components, let cc = b.components {
                    reasons = Explanation.differences(previous: pc, current: cc, sources: step.inputLabels)
                } else {
                    reasons = [a.components == nil ? "no fingerprint in \(old.id) (\(a.outcome.rawValue))"
                                                   : "no fingerprint in \(new.id) (\(b.outcome.rawValue))"]
                }
                fingerprints.append(FingerprintChange(step: step.name, old: a.fingerprint, new: b.fingerprint, reasons: reasons))
            }
            for name in Set(a.outputs.keys).union(b.outputs.keys).sorted() where a.outputs[name]?.digest != b.outputs[name]?.digest {
                outputs.append(OutputChange(artifact: ArtifactReference(step: step.name, output: name),
                                            old: a.outputs[name]?.digest, new: b.outputs[name]?.digest))
            }
            let ma = ValueLeaves.of(a.metrics).filter { $0.value != "{}" }, mb = ValueLeaves.of(b.metrics).filter { $0.value != "{}" }
            for key in Set(ma.keys).union(mb.keys).sorted() {
                let x = ma[key].flatMap(Double.init), y = mb[key].flatMap(Double.init)
                metrics.append(MetricChange(step: step.name, metric: key, old: ma[key], new: mb[key],
                                            delta: x.flatMap { x in y.map { $0 - x } }))
            }
        }
        (self.configs, self.fingerprints, self.outputs, self.metrics) = (configs, fingerprints, outputs, metrics)
    }
}
