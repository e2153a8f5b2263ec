import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealSteps
import AnnealText
import AnnealTestSupport
import Foundation

/// A throwaway workspace for training pipelines, run through the real engine
/// and the real `anneal` binary built next to the test bundle.
final class TrainingWorkspace {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-training-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    static var anneal: String { PackagePaths.anneal }

    func path(_ relative: String) -> String { "\(root)/\(relative)" }

    func write(_ relative: String, _ text: String) throws {
        let p = path(relative)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
    }

    func writeJSONL(_ relative: String, _ rows: [[String: Any]]) throws {
        let lines = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try write(relative, lines.joined(separator: "\n") + "\n")
    }

    /// Runs the pipeline in `p.yaml` with the engine, `jobs` cores (a training step gets them all).
    func run(_ file: String = "p.yaml", jobs: Int = 1) throws -> RunRecord {
        let plan = try Compiler(catalog: StepKinds.catalog).compile(path: path(file), overrides: ParamOverrides())
        var options = RunOptions()
        options.jobs = jobs
        let runner = Runner(workspace: try Workspace(root: root), plan: plan, options: options,
                            executable: Self.anneal, display: ProgressDisplay(interactive: false, quiet: true))
        return try runner.run()
    }

    /// Runs `anneal ARGS` in the workspace, with `input` on its standard input.
    func anneal(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.anneal)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = inp
        try p.run()
        inp.fileHandleForWriting.write(Data(input.utf8))
        try inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts `anneal run` and kills it with SIGKILL after `microseconds`.
    func killRun(after microseconds: UInt32, jobs: Int) throws {
        try killRun(jobs: jobs) { usleep(microseconds) }
    }

    /// Starts `anneal run` and kills it with SIGKILL as soon as a training step
    /// has written its first checkpoint, so the next run must resume from it
    /// whatever the machine's speed.
    func killRunOnceCheckpointed(jobs: Int) throws {
        try killRun(jobs: jobs) {
            let work = root + "/.anneal/work"
            for _ in 0..<12_000 {
                let folders = (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
                if folders.contains(where: { FileManager.default.fileExists(atPath: "\(work)/\($0)/checkpoints/LATEST") }) { return }
                usleep(10_000)
            }
        }
    }

    func killRun(jobs: Int, when wait: () -> Void) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.anneal)
        p.arguments = ["run", "p.yaml", "--jobs", String(jobs)]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        wait()
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // The step's process group goes with the runner; give it a moment.
        usleep(100_000)
    }

    /// Where the last run put `step.output`.
    func output(_ record: RunRecord, _ step: String, _ output: String) throws -> String {
        let ws = try Workspace(root: root)
        guard let s = record.steps.first(where: { $0.name == step }), let digest = s.outputs[output] else {
            throw TrainingTestFailure("no output \(step).\(output) in the run record")
        }
        return try ws.store.readablePath(digest)
    }

    /// The step's log text.
    func log(_ record: RunRecord, _ step: String) -> String {
        guard let path = record.steps.first(where: { $0.name == step })?.log else { return "" }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// The rows of a metrics.jsonl file.
    static func metricRows(_ path: String) throws -> [[String: Value]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONReader.parse(String($0)).map ?? [:] }
    }

    /// A byte-level BPE tokenizer with the chat special tokens, trained on `texts`.
    func trainTokenizer(_ texts: [String], vocabularySize: Int, to relative: String = "tokenizer.json") throws -> BPETokenizer {
        var trainer = BPETrainer(config: TokenizerTrainingConfig(vocabSize: vocabularySize, minFrequency: 2))
        for t in texts { trainer.add(t) }
        let tokenizer = try trainer.train()
        try tokenizer.write(to: URL(fileURLWithPath: path(relative)))
        return tokenizer
    }

    /// A freshly initialised model folder (with the tokenizer) to fine-tune.
    func writeRandomModel(_ relative: String, tokenizer: BPETokenizer, layers: Int, heads: Int, width: Int, context: Int,
                          seed: UInt64) throws {
        let model = try GPT(config: GPTConfig(layers: layers, heads: heads, width: width, context: context,
                                              vocabulary: tokenizer.vocabularySize), seed: seed)
        try ModelDirectory.save(model, to: path(relative))
        try tokenizer.write(to: URL(fileURLWithPath: path(relative + "/tokenizer.json")))
    }
}

struct TrainingTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
