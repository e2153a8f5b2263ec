import AnnealEngine
import AnnealSpec
import AnnealTestSupport
import Foundation

/// One run of `pipelines/tiny-chat-smoke.yaml` through the real `anneal` binary
/// (built by `swift build --build-tests`) in a throwaway workspace, shared by the
/// tests of this target: the pipeline takes a minute or two, so it runs once.
struct SmokeRun: Sendable {
    /// The workspace folder holding `.anneal/`.
    let root: String
    /// What `anneal run` printed (standard output and error).
    let output: String
    let status: Int32
    /// The run's record, with a step's outputs by name.
    let steps: [String: StepRecord]
    /// The evaluate step's `metrics.json` rows: value by "model/suite/metric".
    let evaluation: [String: Double]
    /// The evaluate step's `samples.jsonl` rows: the answers behind the figures.
    let samples: [EvaluationSample]

    /// The shared run, made on first use.
    static let shared: Result<SmokeRun, Error> = Result { try SmokeRun() }

    static var packageRoot: String { PackagePaths.root }

    static var anneal: String { PackagePaths.anneal }

    /// Runs `anneal ARGUMENTS` in `directory` and returns its exit status and output.
    static func anneal(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: anneal)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-flagship-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let started = Date()
        (status, output) = try Self.anneal(["run", Self.packageRoot + "/pipelines/tiny-chat-smoke.yaml", "--workspace", root, "--jobs", "2"], in: root)
        print("tiny-chat-smoke ran in \(Int(Date().timeIntervalSince(started)))s with \(Self.anneal)")
        let ws = try Workspace(root: root)
        let history = RunHistory(workspace: ws)
        guard let number = history.numbers("tiny-chat-smoke").last, let record = history.load("tiny-chat-smoke", number),
              let list = record["steps"]?.list else {
            steps = [:]; evaluation = [:]; samples = []
            return
        }
        steps = Dictionary(list.compactMap(StepRecord.init).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var evaluation: [String: Double] = [:]
        if let metrics = steps["evaluate"]?.outputs["metrics"],
           let data = FileManager.default.contents(atPath: ws.store.path(of: metrics.digest)),
           let rows = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for r in rows {
                if let m = r["model"] as? String, let s = r["suite"] as? String, let k = r["metric"] as? String,
                   let v = (r["value"] as? NSNumber)?.doubleValue {
                    evaluation["\(m)/\(s)/\(k)"] = v
                }
            }
        }
        self.evaluation = evaluation
        if let file = steps["evaluate"]?.outputs["samples"],
           let text = try? String(contentsOfFile: ws.store.path(of: file.digest), encoding: .utf8) {
            samples = text.split(separator: "\n").compactMap { line in
                guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let model = row["model"] as? String, let suite = row["suite"] as? String,
                      let completion = row["completion"] as? String else { return nil }
                return EvaluationSample(model: model, suite: suite, completion: completion)
            }
        } else {
            samples = []
        }
    }

    /// The share of `model`'s answers in `suite` that end with `ending` (after trailing spaces).
    func share(of model: String, suite: String, endingWith ending: String) -> Double? {
        let answers = samples.filter { $0.model == model && $0.suite == suite }
        guard !answers.isEmpty else { return nil }
        let ended = answers.filter { $0.completion.trimmingCharacters(in: .whitespaces).hasSuffix(ending) }
        return Double(ended.count) / Double(answers.count)
    }

    /// The value of `model/suite/metric`, or nil when the evaluation has no such row.
    func metric(_ key: String) -> Double? { evaluation[key] }
}

/// One answer of the evaluate step's `samples.jsonl`.
struct EvaluationSample: Sendable {
    let model: String
    let suite: String
    let completion: String
}
