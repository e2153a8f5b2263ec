import AnnealEngine
import AnnealSpec
import AnnealSteps
import AnnealTestSupport
import Foundation

/// A throwaway workspace with a pipeline in it, run through the real engine
/// and the real `anneal` binary (built by `swift build --build-tests`).
final class EngineFixture {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-engine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// A fixture in an existing folder (a small disk's mount), removed at the end.
    init(at root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    static var packageRoot: String { PackagePaths.root }

    static var anneal: String { PackagePaths.anneal }

    func write(_ relative: String, _ text: String) throws {
        let path = "\(root)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String) -> String? {
        try? String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8)
    }

    func plan(_ file: String = "p.yaml", params: [String] = []) throws -> Plan {
        var overrides = ParamOverrides()
        for p in params { try overrides.add(assignment: p) }
        return try Compiler(catalog: StepKinds.catalog).compile(path: "\(root)/\(file)", overrides: overrides)
    }

    func run(_ file: String = "p.yaml", params: [String] = [], configure: (inout RunOptions) -> Void = { _ in }) throws -> RunRecord {
        var options = RunOptions()
        options.jobs = 2
        configure(&options)
        let runner = Runner(workspace: try Workspace(root: root), plan: try plan(file, params: params), options: options,
                            executable: Self.anneal, display: ProgressDisplay(interactive: false, quiet: true))
        return try runner.run()
    }

    /// Runs `anneal ARGS` in the workspace as a separate process.
    func anneal(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.anneal)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts `anneal ARGS` in the workspace without waiting, its output discarded.
    func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.anneal)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The content of every output of the last run of each step, by `step.output`.
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
    func outcome(of step: String) -> StepRecord.Outcome? {
        steps.first { $0.name == step }?.outcome
    }

    var ranSteps: Set<String> { Set(steps.filter { $0.outcome == .ran }.map(\.name)) }
}
