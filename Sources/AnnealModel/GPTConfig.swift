import Foundation

/// The shape of a GPT-2-architecture model.
public struct GPTConfig: Codable, Equatable, Hashable, Sendable {
    /// Transformer blocks (`n_layer`).
    public var layers: Int
    /// Attention heads per block (`n_head`); must divide `width`.
    public var heads: Int
    /// Embedding width C (`n_embd`).
    public var width: Int
    /// Maximum sequence length, the number of learned positions (`n_positions`).
    public var context: Int
    /// Vocabulary size (`vocab_size`).
    public var vocabulary: Int

    public init(layers: Int, heads: Int, width: Int, context: Int, vocabulary: Int) {
        self.layers = layers
        self.heads = heads
        self.width = width
        self.context = context
        self.vocabulary = vocabulary
    }

    /// Throws when a dimension is not positive or heads do not divide width.
    public func validate() throws {
        for (name, value) in [("layers", layers), ("heads", heads), ("width", width),
                              ("context", context), ("vocabulary", vocabulary)] where value <= 0 {
            throw ModelError.invalidConfig("\(name) is \(value); it must be positive")
        }
        let c = Double(width)
        let approximateParameters = Double(vocabulary + context) * c + Double(layers) * 12 * c * c
        if approximateParameters > 1e10 || Double(context) * Double(context) > 1e9 {
            throw ModelError.invalidConfig("about \(String(format: "%.3g", approximateParameters)) parameters and a context of \(context) are beyond what this CPU implementation can hold")
        }
        if width % heads != 0 {
            throw ModelError.invalidConfig("width \(width) is not divisible by heads \(heads); choose a width that is a multiple of heads")
        }
    }

    /// Parameter count of the base model (tied embeddings counted once).
    public var parameterCount: Int {
        let c = width
        let perLayer = 2 * c + (3 * c * c + 3 * c) + (c * c + c) + 2 * c + (4 * c * c + 4 * c) + (4 * c * c + c)
        return vocabulary * c + context * c + layers * perLayer + 2 * c
    }

    /// Training FLOPs per token, 6 N + 12 L C T with N excluding the position
    /// table (the nanoGPT / PaLM convention the PyTorch peer benchmark uses).
    public func trainingFlopsPerToken(length: Int) -> Double {
        6 * Double(parameterCount - context * width) + 12 * Double(layers * width * length)
    }
}
