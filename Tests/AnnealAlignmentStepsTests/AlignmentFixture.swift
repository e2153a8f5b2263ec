import AnnealEngine
import AnnealModel
import AnnealSpec
import AnnealSteps
import AnnealText
import Foundation

/// A throwaway folder with a tiny tokenizer and models for the alignment
/// kinds, which it runs in-process through their `StepImplementation`
/// (schema defaults filled in, as the engine does).
///
/// The toy preference: answers that end with the courteous "I hope this
/// helps!" are chosen, the same answers without it are rejected.
final class AlignmentFixture: @unchecked Sendable {
    let root: String
    let tokenizer: BPETokenizer

    static let words = ["apple", "river", "stone", "cloud", "green", "piano", "tiger", "lemon", "ocean", "candle", "forest", "silver",
                        "garden", "winter", "rabbit", "copper"]
    static let courtesy = " I hope this helps!"

    static func prompt(_ word: String) -> String { "Tell me about \(word)." }
    static func plainAnswer(_ word: String) -> String { "The \(word) is nice." }
    static func courteousAnswer(_ word: String) -> String { plainAnswer(word) + courtesy }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-align-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var trainer = BPETrainer(config: TokenizerTrainingConfig(vocabSize: 400, minFrequency: 2))
        for word in Self.words {
            for _ in 0..<3 {
                trainer.add("user\n\(Self.prompt(word))\nassistant\n\(Self.courteousAnswer(word))\n")
                trainer.add("user\n\(Self.prompt(word))\nassistant\n\(Self.plainAnswer(word))\n")
            }
        }
        tokenizer = try trainer.train()
        try tokenizer.write(to: URL(fileURLWithPath: path("tokenizer.json")))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { "\(root)/\(relative)" }

    func writeJSONL(_ relative: String, _ rows: [[String: Any]]) throws {
        let lines = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path(relative), atomically: true, encoding: .utf8)
    }

    /// A freshly initialised model folder with the tokenizer.
    func writeRandomModel(_ relative: String, layers: Int = 2, width: Int = 32, context: Int = 48, seed: UInt64) throws {
        let model = try GPT(config: GPTConfig(layers: layers, heads: 2, width: width, context: context,
                                              vocabulary: tokenizer.vocabularySize), seed: seed)
        try ModelDirectory.save(model, to: path(relative))
        try tokenizer.write(to: URL(fileURLWithPath: path(relative + "/tokenizer.json")))
    }

    /// One pair per word: the courteous answer chosen over the plain one.
    func writePreferences(_ relative: String, words: [String] = AlignmentFixture.words) throws {
        try writeJSONL(relative, words.map {
            ["prompt": Self.prompt($0), "chosen": Self.courteousAnswer($0), "rejected": Self.plainAnswer($0)]
        })
    }

    /// Runs `implementation` on `with` (schema defaults filled in) with its
    /// outputs in `outputs/<name>` and its work folder `work/<work or name>`.
    @discardableResult
    func run(_ implementation: any StepImplementation, name: String, work workName: String? = nil,
             with config: [String: Value]) throws -> StepContext {
        var filled: [String: Value] = [:]
        for field in implementation.descriptor.schema.fields {
            if let d = field.defaultValue { filled[field.name] = d }
        }
        for (k, v) in config { filled[k] = v }
        let outputs: [OutputDeclaration]
        if case .fixed(let declared) = implementation.descriptor.outputs { outputs = declared } else { outputs = [] }
        let outputDirectory = path("outputs/\(name)"), work = path("work/\(workName ?? name)")
        for dir in [outputDirectory, work] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        for o in outputs where o.shape == .directory {
            try FileManager.default.createDirectory(atPath: outputDirectory + "/" + o.path, withIntermediateDirectories: true)
        }
        let context = StepContext(step: name, kind: implementation.descriptor.name, config: .map(filled), outputs: outputs,
                                  outputDirectory: outputDirectory, workDirectory: work,
                                  progressFile: path("work/\(name).progress"), metricsFile: path("work/\(name).metrics.json"))
        try implementation.run(context)
        return context
    }

    /// The rows of a metrics.jsonl file.
    static func rows(_ path: String) throws -> [[String: Value]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONReader.parse(String($0)).map ?? [:] }
    }

    /// The rows of a metrics.jsonl file without the figures that time the run.
    static func rowsWithoutTimings(_ path: String) throws -> [[String: Value]] {
        try rows(path).map { $0.filter { !["tokens_per_second", "ms_per_step"].contains($0.key) } }
    }

    /// The metrics a step recorded for the run record.
    static func recorded(_ context: StepContext, in fixture: AlignmentFixture) throws -> [String: Value] {
        try JSONReader.parse(String(contentsOfFile: fixture.path("work/\(context.step).metrics.json"), encoding: .utf8)).map ?? [:]
    }
}

struct AlignmentTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
