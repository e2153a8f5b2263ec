import AnnealTensor

/// Named parameter tensors in one flat buffer, with a gradient buffer of the
/// same layout, so the optimiser and gradient clipping run over two arrays.
public final class ParameterStore {
    /// One named tensor: its place in the flat buffers and how it trains.
    public struct Entry: Sendable, Equatable {
        /// The Hugging Face GPT-2 name without the `transformer.` prefix, e.g. `h.0.attn.c_attn.weight`.
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// Whether AdamW applies weight decay (matrices and embeddings yes; biases and LayerNorm no).
        public let decays: Bool
        /// Whether the optimiser updates it and backward computes its gradient.
        public var trainable: Bool
    }

    public private(set) var entries: [Entry]
    private let index: [String: Int]
    /// All parameter values, in `entries` order.
    public let values: Tensor
    /// All gradients, same layout as `values`; backward adds into it.
    public let gradients: Tensor

    init(_ specs: [(name: String, shape: [Int], decays: Bool)]) {
        var offset = 0
        var entries: [Entry] = []
        for spec in specs {
            entries.append(Entry(name: spec.name, shape: spec.shape, offset: offset, decays: spec.decays, trainable: true))
            // Keep every tensor 16-float aligned for the vector kernels.
            offset += (spec.shape.reduce(1, *) + 15) / 16 * 16
        }
        self.entries = entries
        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
        values = Tensor(shape: [offset])
        gradients = Tensor(shape: [offset])
    }

    /// The entry called `name`, if any.
    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The values of the tensor called `name` (which must exist).
    public func pointer(_ name: String) -> UnsafeMutablePointer<Float> {
        values.pointer + entries[index[name]!].offset
    }

    /// The gradient of `name`, or nil when it is frozen.
    public func gradient(_ name: String) -> UnsafeMutablePointer<Float>? {
        let e = entries[index[name]!]
        return e.trainable ? gradients.pointer + e.offset : nil
    }

    /// A copy of the tensor called `name`.
    public func array(_ name: String) -> [Float] {
        let e = entries[index[name]!]
        return Array(UnsafeBufferPointer(start: values.pointer + e.offset, count: e.count))
    }

    /// Replaces the tensor called `name` with `newValues` (same count).
    public func set(_ name: String, _ newValues: [Float]) {
        let e = entries[index[name]!]
        precondition(newValues.count == e.count, "ParameterStore.set: \(name) takes \(e.count) values")
        newValues.withUnsafeBufferPointer { (values.pointer + e.offset).update(from: $0.baseAddress!, count: e.count) }
    }

    /// Marks tensors trainable or frozen by a predicate on their names.
    public func setTrainable(_ trainable: Bool, where predicate: (String) -> Bool) {
        for i in entries.indices where predicate(entries[i].name) { entries[i].trainable = trainable }
    }

    /// Number of trainable values.
    public var trainableCount: Int { entries.filter(\.trainable).reduce(0) { $0 + $1.count } }

    /// Sets every gradient to zero (call once per optimiser step, before the micro-batches).
    public func zeroGradients() { gradients.zero() }

    /// Copies every tensor that `other` also has with the same shape; returns
    /// the names copied. Used to start a LoRA or scalar-head model from a base.
    @discardableResult
    public func copyMatching(from other: ParameterStore) -> [String] {
        var copied: [String] = []
        for e in entries {
            guard let o = other.entry(e.name), o.shape == e.shape else { continue }
            (values.pointer + e.offset).update(from: other.values.pointer + o.offset, count: e.count)
            copied.append(e.name)
        }
        return copied
    }
}
