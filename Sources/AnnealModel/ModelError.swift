/// Errors of the model library, each naming what is wrong and what to do.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(String)
    case invalidInput(String)
    case safetensors(path: String, reason: String)
    case missingTensor(path: String, name: String)
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    case invalidFile(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let why): return "invalid model config: \(why)"
        case .invalidInput(let why): return "invalid model input: \(why)"
        case .safetensors(let path, let reason): return "\(path): not a valid safetensors file: \(reason)"
        case .missingTensor(let path, let name):
            return "\(path): tensor '\(name)' is missing; the file does not hold a complete model of this config"
        case .shapeMismatch(let path, let name, let expected, let found):
            return "\(path): tensor '\(name)' has shape \(found) but the config needs \(expected); check config.json against the weights"
        case .invalidFile(let path, let reason): return "\(path): \(reason)"
        case .io(let path, let reason): return "\(path): \(reason)"
        }
    }
}
