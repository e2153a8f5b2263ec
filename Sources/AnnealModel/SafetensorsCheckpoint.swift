import Foundation

/// The weights of a Hugging Face model folder: one `model.safetensors`, or
/// shards `model-0000i-of-0000n.safetensors` listed by
/// `model.safetensors.index.json` (`weight_map`: tensor name -> shard file).
public struct SafetensorsCheckpoint {
    public let directory: String
    /// Each tensor's file and header entry, by name.
    public let tensors: [String: (file: SafetensorsFile, info: SafetensorsFile.TensorInfo)]

    static let singleFile = "model.safetensors"
    static let indexFile = "model.safetensors.index.json"

    /// Opens and validates every file; a tensor the index names must be in its shard.
    public init(directory: String) throws {
        self.directory = directory
        let manager = FileManager.default
        var tensors: [String: (file: SafetensorsFile, info: SafetensorsFile.TensorInfo)] = [:]
        if manager.fileExists(atPath: directory + "/" + Self.singleFile) {
            let file = try SafetensorsFile(contentsOf: directory + "/" + Self.singleFile)
            for t in file.tensors { tensors[t.name] = (file, t) }
        } else if manager.fileExists(atPath: directory + "/" + Self.indexFile) {
            let indexPath = directory + "/" + Self.indexFile
            guard let data = manager.contents(atPath: indexPath),
                  let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let map = json["weight_map"] as? [String: Any] else {
                throw ModelError.invalidFile(path: indexPath, reason: "weight_map is missing or not an object of tensor name -> shard file")
            }
            var shards: [String: SafetensorsFile] = [:]
            for (name, value) in map.sorted(by: { $0.key < $1.key }) {
                guard let shard = value as? String, !shard.contains("/"), !shard.isEmpty else {
                    throw ModelError.invalidFile(path: indexPath, reason: "weight_map entry '\(name)' is not a file name in this folder")
                }
                if shards[shard] == nil { shards[shard] = try SafetensorsFile(contentsOf: directory + "/" + shard) }
                guard let info = shards[shard]!.info(name) else {
                    throw ModelError.missingTensor(path: directory + "/" + shard, name: name)
                }
                tensors[name] = (shards[shard]!, info)
            }
        } else {
            throw ModelError.io(path: directory, reason: "holds neither \(Self.singleFile) nor \(Self.indexFile); is this a model folder?")
        }
        self.tensors = tensors
    }

    /// The values held, over all tensors (for size checks before allocating a model).
    public var elementCount: Int { tensors.values.reduce(0) { $0 + $1.info.shape.reduce(1, *) } }

    /// The tensor called `name` as Float32.
    public func floats(_ name: String) throws -> [Float] {
        guard let entry = tensors[name] else { throw ModelError.missingTensor(path: directory, name: name) }
        return try entry.file.floats(name)
    }
}
