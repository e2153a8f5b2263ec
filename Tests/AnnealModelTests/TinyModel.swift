import AnnealTensor
@testable import AnnealModel

/// Tiny configurations and data shared by the model tests.
enum TinyModel {
    static let config = GPTConfig(layers: 2, heads: 2, width: 8, context: 8, vocabulary: 11)

    /// Deterministic pseudo-random token ids in [0, vocabulary).
    static func tokens(_ count: Int, seed: UInt64, vocabulary: Int = 11) -> [Int32] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Int32(g.next() % UInt64(vocabulary)) }
    }

    /// Overwrites every parameter with uniform values in ±scale (LayerNorm
    /// weights around 1), so gradients are large enough for finite differences.
    static func randomise(_ model: GPT, seed: UInt64, scale: Float = 0.3) {
        var g = SeededGenerator(seed: seed)
        for e in model.parameters.entries {
            let isNormWeight = e.name.hasSuffix("ln_1.weight") || e.name.hasSuffix("ln_2.weight") || e.name == "ln_f.weight"
            model.parameters.set(e.name, (0..<e.count).map { _ in
                (g.nextUniform() * 2 - 1) * scale + (isNormWeight ? 1 : 0)
            })
        }
    }

    /// For every tensor, compares the analytic gradient with central
    /// differences at its `samples` largest-gradient entries and one more;
    /// returns the worst error per tensor name.
    static func gradientErrors(_ model: some CausalLanguageModel, samples: Int = 3, epsilon: Float = 1e-2,
                               loss: () throws -> Double) rethrows -> [String: Double] {
        var worst: [String: Double] = [:]
        let values = model.parameters.values.pointer, grads = model.parameters.gradients.pointer
        for e in model.parameters.entries where e.trainable {
            let order = (0..<e.count).sorted { abs(grads[e.offset + $0]) > abs(grads[e.offset + $1]) }
            var picks = Array(order.prefix(samples))
            picks.append(e.count / 2)
            var err = 0.0
            for i in picks {
                let j = e.offset + i
                let saved = values[j]
                values[j] = saved + epsilon
                let plus = try loss()
                values[j] = saved - epsilon
                let minus = try loss()
                values[j] = saved
                let numeric = (plus - minus) / Double(2 * epsilon)
                err = max(err, abs(numeric - Double(grads[j])) / max(0.05, abs(numeric)))
            }
            worst[e.name] = err
        }
        return worst
    }
}
