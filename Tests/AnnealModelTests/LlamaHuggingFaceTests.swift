import Foundation
import Testing
@testable import AnnealModel

/// Folders written by `transformers` (`save_pretrained`; made by
/// scripts/make-llama-fixtures.py) load, and Anneal reproduces the logits
/// transformers computed for fixed ids within 1e-4 and its greedy
/// continuations token for token: tied and untied heads, attention and MLP
/// biases, head_dim apart from hidden/heads, llama3 and linear RoPE scaling,
/// F32, BF16 and F16 weights, one file and shards, Llama and Qwen2.
struct LlamaHuggingFaceTests {
    static let fixtures = ["hf-llama-tied", "hf-llama-llama3-sharded", "hf-llama-linear-bf16", "hf-qwen2-f16"]

    static func directory(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    static func reference(_ directory: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/reference.json"))) as! [String: Any]
    }

    @Test(arguments: fixtures) func reproducesTransformersLogits(fixture: String) throws {
        let directory = try Self.directory(fixture)
        let reference = try Self.reference(directory)
        let rows = reference["tokens"] as! [[Int]]
        let expected = (reference["logits"] as! [Double]).map(Float.init)
        let model = try LlamaDirectory.load(from: directory)
        try model.forward(tokens: rows.flatMap { $0.map(Int32.init) }, batch: rows.count, length: rows[0].count)
        #expect(model.logits.count == expected.count)
        let worst = zip(Array(model.logits), expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "\(fixture): max |logit difference| \(worst)")
    }

    /// The mean next-token loss on the reference ids and every parameter's gradient
    /// (its norm and first values) match what PyTorch's autograd computed.
    @Test(arguments: fixtures) func reproducesTransformersGradients(fixture: String) throws {
        let directory = try Self.directory(fixture)
        let reference = try Self.reference(directory)
        let rows = (reference["tokens"] as! [[Int]]).map { $0.map(Int32.init) }
        let length = rows[0].count
        let targets = rows.flatMap { row in row.dropFirst() + [-1] }
        let model = try LlamaDirectory.load(from: directory)
        model.parameters.zeroGradients()
        try model.forward(tokens: rows.flatMap { $0 }, targets: targets, batch: rows.count, length: length)
        #expect(abs(Double(model.meanLoss()) - (reference["loss"] as! Double)) < 1e-5)
        try model.backward(uniformWeight: 1 / Float(rows.count * (length - 1)))
        let expected = reference["gradients"] as! [String: [String: Any]]
        #expect(Set(expected.keys) == Set(model.parameters.entries.map(\.name)))
        for e in model.parameters.entries {
            let g = UnsafeBufferPointer(start: model.parameters.gradients.pointer + e.offset, count: e.count)
            let norm = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let theirs = try #require(expected[e.name])
            let theirNorm = theirs["norm"] as! Double
            #expect(abs(norm - theirNorm) <= 1e-4 * theirNorm + 1e-7, "\(fixture) \(e.name): norm \(norm) vs \(theirNorm)")
            for (i, value) in (theirs["head"] as! [Double]).enumerated() {
                #expect(abs(Double(g[i]) - value) <= 1e-4 * theirNorm + 1e-7, "\(fixture) \(e.name)[\(i)]: \(g[i]) vs \(value)")
            }
        }
    }

    @Test(arguments: fixtures) func reproducesTransformersGreedyContinuations(fixture: String) throws {
        let directory = try Self.directory(fixture)
        let reference = try Self.reference(directory)
        let prompts = (reference["prompts"] as! [[Int]]).map { $0.map(Int32.init) }
        let expected = (reference["continuations"] as! [[Int]]).map { $0.map(Int32.init) }
        let model = try LlamaDirectory.load(from: directory)
        // Both prompts in one batch: the shorter one starts sampling while the longer still reads its prompt.
        let generations = try model.generate(prompts: prompts, options: .greedy(maxNewTokens: expected[0].count))
        #expect(generations.map(\.tokens) == expected)
    }

    @Test func readsEachFixtureConfig() throws {
        let tied = try LlamaDirectory.load(from: try Self.directory("hf-llama-tied")).config
        #expect(tied.family == .llama && tied.tiedEmbeddings && tied.queryKeyValueBias && tied.outputBias && tied.mlpBias)
        #expect(tied.heads == 4 && tied.keyValueHeads == 2 && tied.headSize == 16 && tied.ropeScaling == .none)
        let sharded = try LlamaDirectory.load(from: try Self.directory("hf-llama-llama3-sharded"))
        #expect(sharded.config.headSize == 24 && !sharded.config.tiedEmbeddings && sharded.config.ropeTheta == 500_000)
        #expect(sharded.config.ropeScaling == .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 64))
        #expect(sharded.specialTokens == ModelDirectory.SpecialTokens(bos: 1, eos: 2, pad: nil) && sharded.stopTokens == [2])
        let linear = try LlamaDirectory.load(from: try Self.directory("hf-llama-linear-bf16")).config
        #expect(linear.ropeScaling == .linear(factor: 2))
        let qwen = try LlamaDirectory.load(from: try Self.directory("hf-qwen2-f16")).config
        #expect(qwen.family == .qwen2 && qwen.queryKeyValueBias && !qwen.outputBias && !qwen.mlpBias && qwen.tiedEmbeddings)
    }

    /// Saving a loaded fixture (as F32) and loading it back gives the same logits.
    /// With ANNEAL_LLAMA_SAVE_TO set the folders are kept there, for
    /// `scripts/make-llama-fixtures.py --check-saved` to load with transformers.
    @Test(arguments: fixtures) func savedFolderReproducesTheReference(fixture: String) throws {
        let directory = try Self.directory(fixture)
        let reference = try Self.reference(directory)
        let rows = reference["tokens"] as! [[Int]]
        let expected = (reference["logits"] as! [Double]).map(Float.init)
        let keep = ProcessInfo.processInfo.environment["ANNEAL_LLAMA_SAVE_TO"]
        let temporary = TemporaryDirectory()
        defer { temporary.remove() }
        let target = keep.map { $0 + "/" + fixture } ?? temporary.path
        let model = try LlamaDirectory.load(from: directory)
        try model.save(to: target, tokens: model.specialTokens)
        let reloaded = try LlamaDirectory.load(from: target)
        #expect(reloaded.config == model.config && reloaded.stopTokens == model.stopTokens)
        try reloaded.forward(tokens: rows.flatMap { $0.map(Int32.init) }, batch: rows.count, length: rows[0].count)
        #expect(zip(Array(reloaded.logits), expected).map { abs($0 - $1) }.max()! < 1e-4)
    }
}
