import AnnealEngine
import AnnealFiles
import AnnealModel
import Foundation

/// Summed answer-token log-probabilities of preference pairs under a model,
/// and the cache DPO keeps of the frozen reference's in its work folder
/// (`reference-logps.bin`: little-endian Float32 chosen, rejected per pair),
/// so they are computed once per step identity, not every epoch or resume.
enum PreferenceLogProbabilities {
    /// `(chosen, rejected)` per pair, in batches of `batch` pairs, each row padded to `length`.
    static func compute(_ model: GPT, _ pairs: [EncodedPreference], length: Int, batch: Int) throws -> [(chosen: Float, rejected: Float)] {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var out: [(chosen: Float, rejected: Float)] = []
        for first in stride(from: 0, to: pairs.count, by: max(1, batch)) {
            let slice = Array(pairs[first..<min(pairs.count, first + max(1, batch))])
            let (_, targets) = try forward(model, slice, length: length)
            let sums = rowSums(model, targets: targets, rows: 2 * slice.count, length: length)
            for i in slice.indices { out.append((sums[i], sums[slice.count + i])) }
        }
        return out
    }

    /// One forward of the pairs' rows (chosen rows, then rejected rows) with
    /// targets on the answer tokens; returns the inputs and targets used.
    @discardableResult
    static func forward(_ model: GPT, _ pairs: [EncodedPreference], length: Int) throws -> (tokens: [Int32], targets: [Int32]) {
        var tokens: [Int32] = [], targets: [Int32] = []
        for example in pairs.map(\.chosen) + pairs.map(\.rejected) {
            let row = example.row(length: length)
            tokens += row.tokens
            targets += row.targets
        }
        try model.forward(tokens: tokens, targets: targets, batch: 2 * pairs.count, length: length)
        return (tokens, targets)
    }

    /// Σ log p over the targeted positions of each row of the last forward.
    static func rowSums(_ model: GPT, targets: [Int32], rows: Int, length: Int) -> [Float] {
        let nll = model.tokenLosses
        return (0..<rows).map { r in
            var s: Double = 0
            for t in 0..<length where targets[r * length + t] >= 0 { s -= Double(nll[r * length + t]) }
            return Float(s)
        }
    }

    /// The cached reference values for `pairs`, computing and writing them on first use.
    static func cached(at path: String, reference: () throws -> GPT, _ pairs: [EncodedPreference], length: Int,
                       batch: Int) throws -> [(chosen: Float, rejected: Float)] {
        if let data = FileManager.default.contents(atPath: path), data.count == pairs.count * 8 {
            let words = data.withUnsafeBytes { raw in (0..<(2 * pairs.count)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) } }
            let values = words.map { Float(bitPattern: UInt32(littleEndian: $0)) }
            print("reference log-probabilities of \(pairs.count) pairs read from the step's cache")
            return pairs.indices.map { (values[2 * $0], values[2 * $0 + 1]) }
        }
        let computed = try compute(try reference(), pairs, length: length, batch: batch)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pairs.count * 8)
        for (c, r) in computed {
            for v in [c, r] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        }
        try AtomicFile.write(Data(bytes), to: path)
        print("reference log-probabilities of \(pairs.count) pairs computed and cached")
        return computed
    }
}
