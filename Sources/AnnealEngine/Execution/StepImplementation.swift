import AnnealFiles
import AnnealSpec
import Foundation

/// A step kind's code: its descriptor for the language and what it does.
/// It runs in a child process, reads inputs at the paths its config holds and
/// writes its outputs under `context.outputDirectory`.
public protocol StepImplementation: Sendable {
    var descriptor: StepKindDescriptor { get }
    func run(_ context: StepContext) throws
}

/// An error a step reports to the person running it.
public struct StepFailure: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a running step sees: its resolved configuration (inputs as absolute
/// paths), where to write outputs, a work folder that survives a crash for
/// checkpoints, and ways to report progress and metrics.
public struct StepContext: Sendable {
    public var step: String
    public var kind: String
    /// The configuration with every input replaced by the absolute path to read.
    public var config: Value
    public var outputs: [OutputDeclaration]
    public var outputDirectory: String
    /// Kept across attempts of the same step identity (same fingerprint).
    public var workDirectory: String
    var progressFile: String
    var metricsFile: String
    /// The other steps' outputs among the inputs, by the path `config` holds
    /// for each (see `inputName(field:path:)`).
    public var inputs: [String: ArtifactReference]

    public init(step: String, kind: String, config: Value, outputs: [OutputDeclaration], outputDirectory: String,
                workDirectory: String, progressFile: String, metricsFile: String, inputs: [String: ArtifactReference] = [:]) {
        self.step = step
        self.kind = kind
        self.config = config
        self.outputs = outputs
        self.outputDirectory = outputDirectory
        self.workDirectory = workDirectory
        self.progressFile = progressFile
        self.metricsFile = metricsFile
        self.inputs = inputs
    }

    /// Where the named output must be written.
    public func outputPath(_ name: String) -> String {
        let o = outputs.first { $0.name == name }
        return "\(outputDirectory)/\(o?.path ?? name)"
    }

    /// Reports progress (0...1) and a short status; the runner shows it live.
    public func report(progress: Double, status: String = "") {
        let line = "\(min(1, max(0, progress)))\t\(status.replacingOccurrences(of: "\n", with: " "))\n"
        try? AtomicFile.write(line, to: progressFile, durability: .scratch)
    }

    /// Records metrics for the run record (merged over earlier calls).
    public func record(metrics: [String: Value]) {
        var current = (try? String(contentsOfFile: metricsFile, encoding: .utf8)).flatMap { try? JSONReader.parse($0) }?.map ?? [:]
        for (k, v) in metrics { current[k] = v }
        try? AtomicFile.write(CanonicalJSON.encodePretty(.map(current)) + "\n", to: metricsFile, durability: .scratch)
    }

    /// Cores this step may use (threads for BLAS and parallel loops); the
    /// runner keeps the sum over running steps within `--jobs`. Outputs must
    /// not depend on it.
    public var cpus: Int {
        ProcessInfo.processInfo.environment["ANNEAL_CPUS"].flatMap(Int.init).map { max(1, $0) }
            ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// The checkpoint folder for this step identity.
    public var checkpointDirectory: String { workDirectory + "/checkpoints" }

    /// The newest complete checkpoint, if any.
    public func latestCheckpoint() -> String? {
        guard let name = try? String(contentsOfFile: checkpointDirectory + "/LATEST", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
        let path = checkpointDirectory + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Saves a checkpoint: `write` fills a fresh folder, which becomes the
    /// latest only once complete (rename, then an atomic LATEST update), so a
    /// crash at any moment leaves the previous checkpoint usable.
    public func saveCheckpoint(named name: String, _ write: (String) throws -> Void) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: checkpointDirectory, withIntermediateDirectories: true)
        let temp = "\(checkpointDirectory)/.tmp-\(name)-\(getpid())"
        // Folders of checkpoints a killed attempt was writing are never used again.
        for stale in (try? fm.contentsOfDirectory(atPath: checkpointDirectory)) ?? [] where stale.hasPrefix(".tmp-") {
            try? fm.removeItem(atPath: "\(checkpointDirectory)/\(stale)")
        }
        try FileSync.createFolder(temp)
        // A failed write (a full disk) leaves no half checkpoint behind.
        var complete = false
        defer { if !complete { try? fm.removeItem(atPath: temp) } }
        try write(temp)
        let final = "\(checkpointDirectory)/\(name)"
        try? fm.removeItem(atPath: final)
        try FileSync.rename(temp, to: final)
        complete = true
        try FileSync.flushFolder(of: final)
        let previous = latestCheckpoint()
        try AtomicFile.write(name + "\n", to: checkpointDirectory + "/LATEST")
        if let previous, previous != final { try? fm.removeItem(atPath: previous) }
    }
}
