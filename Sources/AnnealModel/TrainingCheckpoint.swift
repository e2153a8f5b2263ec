import AnnealFiles
import AnnealTensor
import Foundation

/// A directory holding everything for an exact resume: the model (every
/// tensor, adapters included, in `model.safetensors` with `config.json`),
/// the AdamW moments (`optimizer.safetensors`) and `training_state.json`
/// (step, data position, generator states, frozen tensors, optimiser settings).
/// Resuming and training on gives the same bytes as never stopping.
public enum TrainingCheckpoint {
    struct StateFile: Codable {
        var state: TrainingState
        var optimizerStep: Int
        var optimizer: AdamW.Config
        var dropoutGeneratorState: [String]
        var frozen: [String]
        var scalarHead: Bool
        var generatorStateText: [String]
    }

    public static func save(model: GPT, optimizer: AdamW, state: TrainingState, to directory: String) throws {
        try ModelDirectory.createDirectory(directory)
        let entries = model.parameters.entries
        try ModelDirectory.writeTensors(entries.map { (ModelDirectory.hubName($0.name), $0.shape, model.parameters.array($0.name)) },
                                        to: directory + "/model.safetensors")
        var extras: [String: Any] = [:]
        if let lora = model.lora { extras["anneal_lora"] = ModelDirectory.loraJSON(lora) }
        try ModelDirectory.writeJSON(ModelDirectory.configJSON(model, tokens: .init(), extras: extras),
                                     to: directory + "/config.json")
        func moments(_ t: Tensor, _ e: ParameterStore.Entry) -> [Float] {
            Array(UnsafeBufferPointer(start: t.pointer + e.offset, count: e.count))
        }
        try ModelDirectory.writeTensors(entries.flatMap { e in
            [("exp_avg." + e.name, e.shape, moments(optimizer.firstMoment, e)),
             ("exp_avg_sq." + e.name, e.shape, moments(optimizer.secondMoment, e))]
        }, to: directory + "/optimizer.safetensors")
        // Generator words are written as decimal strings: JSON numbers lose bits above 2^53.
        var plain = state
        plain.generatorState = []
        let file = StateFile(state: plain, optimizerStep: optimizer.step, optimizer: optimizer.config,
                             dropoutGeneratorState: model.dropoutGenerator.state.map(String.init),
                             frozen: entries.filter { !$0.trainable }.map(\.name), scalarHead: model.hasScalarHead,
                             generatorStateText: state.generatorState.map(String.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write([UInt8](try encoder.encode(file)), to: directory + "/training_state.json")
    }

    public static func load(from directory: String) throws -> (model: GPT, optimizer: AdamW, state: TrainingState) {
        let statePath = directory + "/training_state.json"
        guard let data = FileManager.default.contents(atPath: statePath) else {
            throw ModelError.io(path: statePath, reason: "cannot read the training state; is this a checkpoint directory?")
        }
        let file: StateFile
        do { file = try JSONDecoder().decode(StateFile.self, from: data) } catch {
            throw ModelError.invalidFile(path: statePath, reason: "training_state.json is malformed: \(error)")
        }
        let model = try ModelDirectory.load(from: directory)
        guard model.hasScalarHead == file.scalarHead else {
            throw ModelError.invalidFile(path: statePath, reason: "scalar head flag disagrees with model.safetensors")
        }
        let frozen = Set(file.frozen)
        for e in model.parameters.entries { model.parameters.setTrainable(!frozen.contains(e.name)) { $0 == e.name } }
        guard let dropout = SeededGenerator(state: file.dropoutGeneratorState.compactMap(UInt64.init)) else {
            throw ModelError.invalidFile(path: statePath, reason: "dropoutGeneratorState must be four decimal words, not all zero")
        }
        model.dropoutGenerator = dropout
        let optimizer = AdamW(parameters: model.parameters, config: file.optimizer)
        optimizer.step = file.optimizerStep
        let momentsPath = directory + "/optimizer.safetensors"
        let moments = try SafetensorsFile(contentsOf: momentsPath)
        for e in model.parameters.entries {
            for (prefix, tensor) in [("exp_avg.", optimizer.firstMoment), ("exp_avg_sq.", optimizer.secondMoment)] {
                guard let info = moments.info(prefix + e.name) else { throw ModelError.missingTensor(path: momentsPath, name: prefix + e.name) }
                guard info.shape == e.shape else {
                    throw ModelError.shapeMismatch(path: momentsPath, name: info.name, expected: e.shape, found: info.shape)
                }
                let values = try moments.floats(info.name)
                values.withUnsafeBufferPointer { (tensor.pointer + e.offset).update(from: $0.baseAddress!, count: e.count) }
            }
        }
        var state = file.state
        state.generatorState = file.generatorStateText.compactMap(UInt64.init)
        guard state.generatorState.count == file.generatorStateText.count else {
            throw ModelError.invalidFile(path: statePath, reason: "generatorStateText holds a word that is not a decimal UInt64")
        }
        return (model, optimizer, state)
    }
}
