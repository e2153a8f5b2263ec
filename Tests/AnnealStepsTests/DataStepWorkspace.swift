import AnnealEngine
import AnnealSpec
import AnnealSteps
import AnnealTestSupport
import Foundation

/// A throwaway workspace for pipelines of the data step kinds, run through the
/// real engine and the real `anneal` binary (built by `swift build --build-tests`).
final class DataStepWorkspace {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-data-\(UUID().uuidString)").path
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

    func compile(_ file: String = "p.yaml") throws -> Plan {
        try Compiler(catalog: StepKinds.catalog).compile(path: "\(root)/\(file)")
    }

    /// The diagnostics of a pipeline that must not compile.
    func diagnostics(_ file: String = "p.yaml") -> [Diagnostic] {
        do {
            _ = try compile(file)
            return []
        } catch let e as DiagnosticError {
            return e.diagnostics
        } catch {
            return [.error(nil, "\(error)")]
        }
    }

    func run(_ file: String = "p.yaml", jobs: Int = 2) throws -> RunRecord {
        var options = RunOptions()
        options.jobs = jobs
        let runner = Runner(workspace: try Workspace(root: root), plan: try compile(file), options: options,
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

    /// Where an output of a step of the last run is in the store.
    func path(_ record: RunRecord, _ step: String, _ output: String) throws -> String {
        guard let artifact = record.steps.first(where: { $0.name == step })?.outputs[output] else {
            throw StepFailure("no output \(step).\(output) in the run (\(record.steps.map { "\($0.name): \($0.outcome) \($0.reasons)" }))")
        }
        return try Workspace(root: root).store.readablePath(artifact)
    }

    func text(_ record: RunRecord, _ step: String, _ output: String) throws -> String {
        try String(contentsOfFile: path(record, step, output), encoding: .utf8)
    }

    /// The JSON objects of a JSONL output.
    func lines(_ record: RunRecord, _ step: String, _ output: String) throws -> [[String: Any]] {
        try text(record, step, output).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func json(_ record: RunRecord, _ step: String, _ output: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text(record, step, output).utf8)) as! [String: Any]
    }

    /// Digest of every output of every step, by `step.output`.
    func digests(_ record: RunRecord) -> [String: String] {
        var out: [String: String] = [:]
        for s in record.steps {
            for (name, artifact) in s.outputs { out["\(s.name).\(name)"] = artifact.digest.hex }
        }
        return out
    }
}

extension RunRecord {
    func step(_ name: String) -> StepRecord? { steps.first { $0.name == name } }
}
