@testable import AnnealSteps
import AnnealEngine
import AnnealSpec
import AnnealTestSupport
import Foundation
import Testing

/// Every kind reads its settings as typed structs decoded under its schema,
/// so each default is written once, in the schema.
@Suite struct StepConfigurationTests {
    /// A value of `type` for a required field without a default.
    static func sample(_ type: FieldType) -> Value {
        switch type {
        case .int(let lo, _): return .int(lo ?? 1)
        case .float(let lo, _): return .float(lo ?? 1)
        case .string, .template, .any: return .string("x")
        case .bool: return .bool(true)
        case .file, .files, .artifact: return .path("/x")
        case .enumeration(let cases): return .string(cases[0])
        case .list(let element): return .list([sample(element)])
        case .map(let element): return .map(["a": sample(element)])
        case .record(let schema): return minimal(schema)
        case .either(let a, _): return sample(a)
        }
    }

    /// The schema's defaults, a sample for each required field, and the first
    /// field of each cross-field rule nothing else satisfies.
    static func minimal(_ schema: Schema) -> Value {
        var out: [String: Value] = [:]
        for f in schema.fields {
            if let d = f.defaultValue { out[f.name] = d } else if f.required { out[f.name] = sample(f.type) }
        }
        for rule in schema.rules where !rule.fields.contains(where: { out[$0] != nil }) {
            out[rule.fields[0]] = sample(schema[rule.fields[0]]!.type)
        }
        return .map(out)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ kind: StepKindDescriptor) throws -> T {
        try ConfigurationDecoder.decode(type, from: minimal(kind.schema), schema: kind.schema)
    }

    /// The structs each kind decodes in its `run`, by kind.
    static let decoders: [String: @Sendable (StepKindDescriptor) throws -> Void] = [
        "shell": { _ = try decode(Shell.Configuration.self, $0) },
        "collect": { _ = try decode(Collect.Configuration.self, $0) },
        "tokenizer": { _ = try decode(Tokenizer.Configuration.self, $0) },
        "tokenize": { _ = try decode(Tokenize.Configuration.self, $0) },
        "pretrain": { _ = (try decode(Pretrain.Configuration.self, $0), try decode(TrainingHyperparameters.self, $0)) },
        "sft": { _ = (try decode(SFT.Configuration.self, $0), try decode(TrainingHyperparameters.self, $0), try decode(LoRASettings.self, $0)) },
        "evaluate": { _ = try decode(Evaluate.Configuration.self, $0) },
        "reward-model": {
            _ = (try decode(RewardModel.Configuration.self, $0), try decode(PreferenceSettings.self, $0), try decode(TrainingHyperparameters.self, $0))
        },
        "dpo": {
            _ = (try decode(DPO.Configuration.self, $0), try decode(PreferenceSettings.self, $0), try decode(LoRASettings.self, $0),
                 try decode(TrainingHyperparameters.self, $0))
        },
        "ppo": { _ = (try decode(PPO.Configuration.self, $0), try decode(LoRASettings.self, $0), try decode(TrainingHyperparameters.self, $0)) },
    ]

    @Test func everyKindDecodesItsSchemasDefaults() throws {
        #expect(Set(Self.decoders.keys) == Set(StepKinds.descriptors.map(\.name)), "a kind without a decoding check")
        for kind in StepKinds.descriptors {
            guard let decode = Self.decoders[kind.name] else { continue }
            #expect(throws: Never.self, "\(kind.name)") { try decode(kind) }
        }
    }

    /// The optimisation defaults are each kind's own, from its schema.
    @Test func theOptimisationDefaultsAreTheSchemas() throws {
        let pretrain = try Self.decode(TrainingHyperparameters.self, Pretrain.descriptor)
        #expect(pretrain.batchSize == 8 && pretrain.learningRate == 6e-4 && pretrain.optimizer.beta2 == 0.95 && pretrain.seed == 1337)
        #expect(pretrain.scheduler == .cosine && pretrain.minLearningRate == pretrain.learningRate / 10)
        let sft = try Self.decode(TrainingHyperparameters.self, SFT.descriptor)
        #expect(sft.batchSize == 8 && sft.learningRate == 2e-5 && sft.optimizer.beta2 == 0.999 && sft.seed == 42)
        #expect(sft.scheduler == .linear && sft.minLearningRate == 0 && sft.evalInterval == 50)
        let ppo = try Self.decode(TrainingHyperparameters.self, PPO.descriptor)
        #expect(ppo.gradientAccumulationSteps == 1 && ppo.evalInterval == nil && ppo.checkpointInterval == 10)
        let shape = try Self.decode(Pretrain.Configuration.self, Pretrain.descriptor).model
        #expect((shape.layers, shape.heads, shape.width, shape.context) == (4, 4, 128, 128))
    }

    /// No kind reads its configuration by key: `config["x"]` with a literal
    /// fallback is how defaults drifted from the schemas.
    @Test func noStepReadsItsConfigurationByKey() throws {
        let folder = PackagePaths.root + "/Sources/AnnealSteps"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 30)
        let byKey = try NSRegularExpression(pattern: #"\b(config|suite|clean|filters|pii|dedup|split|shape)\??\[\s*""#)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                let readsByKey = byKey.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
                let readsRaw = s.contains("context.config") && file != "StepImplementation+Configuration.swift"
                if readsByKey || readsRaw { found.append("\(file):\(number + 1): \(s.trimmingCharacters(in: .whitespaces))") }
            }
        }
        #expect(found.isEmpty, "read the configuration through `configuration(context)` instead:\n\(found.joined(separator: "\n"))")
    }
}
