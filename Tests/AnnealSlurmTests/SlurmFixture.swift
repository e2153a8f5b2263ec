@testable import AnnealEngine
import AnnealSpec
import AnnealSteps
import AnnealTestSupport
import Foundation

/// A throwaway workspace with a pipeline named uniquely (so its jobs can be
/// told apart in the queue), run through the real engine, the real `anneal`
/// binary and the cluster of `SLURM_CONF`.
final class SlurmFixture {
    let root: String
    let pipeline: String

    init() throws {
        pipeline = "slurm-" + UUID().uuidString.prefix(8).lowercased()
        // The workspace must be where the cluster's nodes see it: on the single-node cluster, any local folder.
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-\(pipeline)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        SlurmCluster.cancelAll(of: pipeline)
        try? FileManager.default.removeItem(atPath: root)
    }

    static var packageRoot: String { PackagePaths.root }

    static var anneal: String { PackagePaths.anneal }

    /// Writes `p.yaml` with `name:` set to this fixture's pipeline name and `steps` below it.
    func writePipeline(_ steps: String) throws {
        try write("p.yaml", "name: \(pipeline)\nsteps:\n" + steps)
    }

    func write(_ relative: String, _ text: String) throws {
        let path = "\(root)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func plan() throws -> Plan {
        try Compiler(catalog: StepKinds.catalog).compile(path: "\(root)/p.yaml", overrides: ParamOverrides())
    }

    /// Runs the pipeline in this process with `executor`; returns the record.
    func run(_ executor: StepExecutor, jobs: Int = 8) throws -> RunRecord {
        var options = RunOptions()
        options.jobs = jobs
        let runner = Runner(workspace: try Workspace(root: root), plan: try plan(), options: options,
                            executable: Self.anneal, display: ProgressDisplay(interactive: false, quiet: true),
                            executor: executor)
        return try runner.run()
    }

    /// Starts `anneal ARGS` in the workspace without waiting, with `environment` added to this
    /// process's; its output goes to `output.log` there.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.anneal)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        _ = FileManager.default.createFile(atPath: "\(root)/output.log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(root)/output.log")!
        p.standardOutput = log
        p.standardError = log
        try p.run()
        return p
    }

    var runnerOutput: String { (try? String(contentsOfFile: "\(root)/output.log", encoding: .utf8)) ?? "" }

    /// Every log of `step` (`.anneal/logs/PIPELINE/STEP/RUN.log`), one after another in run order.
    func stepLog(_ step: String) -> String {
        let folder = "\(root)/.anneal/logs/\(pipeline)/\(step)"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".log") }
        return names.sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
            .compactMap { try? String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8) }.joined()
    }

    /// The content of every file output of a run, by `step.output`.
    func outputs(_ record: RunRecord) throws -> [String: String] {
        let ws = try Workspace(root: root)
        var out: [String: String] = [:]
        for s in record.steps {
            for (name, artifact) in s.outputs where artifact.shape == .file {
                out["\(s.name).\(name)"] = try String(contentsOfFile: ws.store.path(of: artifact.digest), encoding: .utf8)
            }
        }
        return out
    }
}

extension RunRecord {
    func step(_ name: String) -> StepRecord? { steps.first { $0.name == name } }
}
