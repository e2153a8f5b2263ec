#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AnnealTensor

/// Autoregressive generation with a KV cache: greedy, temperature, top-k,
/// top-p, stop tokens, a maximum length and batches of prompts, seeded.
///
/// Sequences advance in lockstep one position per step: a sequence whose
/// prompt is longer keeps feeding prompt tokens while shorter ones already
/// sample. Each step is one [B, C] pass through the blocks using the cache.
public final class Sampler {
    public let model: GPT

    public init(model: GPT) { self.model = model }

    public func generate(prompts: [[Int32]], options: SamplingOptions) throws -> [Generation] {
        let config = model.config
        guard !prompts.isEmpty else { return [] }
        for (i, p) in prompts.enumerated() {
            guard !p.isEmpty else { throw ModelError.invalidInput("prompt \(i) is empty; give at least one token (e.g. BOS)") }
            guard p.count < config.context else {
                throw ModelError.invalidInput("prompt \(i) has \(p.count) tokens, which leaves no room in the context of \(config.context)")
            }
            if let bad = p.first(where: { $0 < 0 || Int($0) >= config.vocabulary }) {
                throw ModelError.invalidInput("prompt \(i) holds token id \(bad), outside the vocabulary of \(config.vocabulary)")
            }
        }
        guard options.maxNewTokens >= 0, options.temperature >= 0, (options.topK ?? 1) >= 1,
              (options.topP ?? 1) > 0, (options.topP ?? 1) <= 1 else {
            throw ModelError.invalidInput("sampling options out of range: maxNewTokens >= 0, temperature >= 0, topK >= 1, 0 < topP <= 1")
        }
        let b = prompts.count, v = config.vocabulary
        let capacity = min(config.context, prompts.map(\.count).max()! + options.maxNewTokens)
        let state = DecodeBuffers(config: config, lora: model.lora, batch: b, capacity: capacity)
        var generators = (0..<b).map { SeededGenerator(seed: options.seed &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        var generated = [[Int32]](repeating: [], count: b), logProbs = [[Float]](repeating: [], count: b)
        var finished = [Generation.FinishReason?](repeating: nil, count: b)
        var current = prompts.map { $0[0] }
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }

        for position in 0..<capacity {
            if finished.allSatisfy({ $0 != nil }) { break }
            step(tokens: current, position: position, capacity: capacity, state)
            for row in 0..<b where finished[row] == nil {
                let prompt = prompts[row]
                if position + 1 < prompt.count { current[row] = prompt[position + 1]; continue }
                if generated[row].count >= options.maxNewTokens { finished[row] = .maxNewTokens; continue }
                // The token sampled here would sit at index position + 1, which must be inside the context.
                if position + 1 >= config.context { finished[row] = .context; continue }
                let logits = state.logits + row * v
                let token = Sampler.pick(logits, vocabulary: v, options: options, generator: &generators[row])
                let m = VectorMath.maximum(logits, count: v)
                let lse = m + logf(VectorMath.sumExpShifted(logits, shift: m, count: v))
                generated[row].append(token)
                logProbs[row].append(logits[Int(token)] - lse)
                current[row] = token
                if options.stopTokens.contains(token) {
                    finished[row] = .stopToken
                } else if generated[row].count >= options.maxNewTokens {
                    finished[row] = .maxNewTokens
                } else if position + 2 >= config.context {
                    finished[row] = .context
                }
            }
        }
        return (0..<b).map { Generation(tokens: generated[$0], logProbabilities: logProbs[$0], finishReason: finished[$0] ?? .context) }
    }

    /// One position for every row: fills state.logits [B, V].
    func step(tokens: [Int32], position: Int, capacity: Int, _ s: DecodeBuffers) {
        let config = model.config, c = config.width, b = tokens.count
        let p = model.parameters
        let wte = p.pointer("wte.weight"), wpe = p.pointer("wpe.weight")
        for row in 0..<b {
            let x = s.residual + row * c, tok = wte + Int(tokens[row]) * c, pos = wpe + position * c
            for i in 0..<c { x[i] = tok[i] + pos[i] }
        }
        let w = p.values.pointer
        for (l, block) in model.blocks.enumerated() {
            LayerNorm.forward(out: s.normed, mean: s.mean, rstd: s.rstd, inp: s.residual, weight: w + block.ln1Weight,
                              bias: w + block.ln1Bias, rows: b, channels: c)
            model.projectionForward(block.qkv, out: s.qkv, inp: s.normed, rows: b, accumulate: false, adapter: s.adapter)
            IncrementalAttention.forward(out: s.attention, qkv: s.qkv, keys: s.keys + l * s.layerCacheCount,
                                         values: s.values + l * s.layerCacheCount, scratch: s.scores,
                                         position: position, capacity: capacity, batch: b, channels: c, heads: config.heads)
            model.projectionForward(block.attentionOutput, out: s.residual, inp: s.attention, rows: b, accumulate: true, adapter: s.adapter)
            LayerNorm.forward(out: s.normed, mean: s.mean, rstd: s.rstd, inp: s.residual, weight: w + block.ln2Weight,
                              bias: w + block.ln2Bias, rows: b, channels: c)
            model.projectionForward(block.mlpInput, out: s.hidden, inp: s.normed, rows: b, accumulate: false, adapter: s.adapter)
            GELU.forward(out: s.hidden, inp: s.hidden, count: b * 4 * c)
            model.projectionForward(block.mlpOutput, out: s.residual, inp: s.hidden, rows: b, accumulate: true, adapter: s.adapter)
        }
        LayerNorm.forward(out: s.normed, mean: s.mean, rstd: s.rstd, inp: s.residual, weight: p.pointer("ln_f.weight"),
                          bias: p.pointer("ln_f.bias"), rows: b, channels: c)
        Matmul.gemm(transposeA: false, transposeB: true, m: b, n: config.vocabulary, k: c, a: s.normed, lda: c,
                    b: wte, ldb: c, beta: 0, c: s.logits, ldc: config.vocabulary)
    }

    /// Picks one token from a logits row.
    static func pick(_ logits: UnsafePointer<Float>, vocabulary v: Int, options: SamplingOptions,
                     generator: inout SeededGenerator) -> Int32 {
        if options.temperature == 0 || options.topK == 1 {
            var best = 0
            for i in 1..<v where logits[i] > logits[best] { best = i }
            return Int32(best)
        }
        // Candidates: the top k (or all), most likely first when top-p needs the order.
        var candidates: [Int]
        if let k = options.topK, k < v {
            candidates = Sampler.topIndices(logits, count: v, k: k)
        } else {
            candidates = Array(0..<v)
            if options.topP != nil { candidates.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) } }
        }
        let inverseT = 1 / options.temperature
        let m = candidates.reduce(-Float.infinity) { max($0, logits[$1]) }
        var weights = candidates.map { VectorMath.exp((logits[$0] - m) * inverseT) }
        var total = weights.reduce(0, +)
        if let p = options.topP, p < 1 {
            var running: Float = 0, keep = 0
            while keep < weights.count { running += weights[keep]; keep += 1; if running >= p * total { break } }
            candidates.removeLast(candidates.count - keep)
            weights.removeLast(weights.count - keep)
            total = running
        }
        var u = generator.nextUniform() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return Int32(candidates[i]) }
        }
        return Int32(candidates[candidates.count - 1])
    }

    /// The indices of the k largest values, largest first (ties: lower index first).
    static func topIndices(_ values: UnsafePointer<Float>, count: Int, k: Int) -> [Int] {
        var top: [Int] = []
        top.reserveCapacity(k + 1)
        func before(_ a: Int, _ b: Int) -> Bool { values[a] > values[b] || (values[a] == values[b] && a < b) }
        for i in 0..<count {
            if top.count == k, !before(i, top[k - 1]) { continue }
            var lo = 0, hi = top.count
            while lo < hi { let mid = (lo + hi) / 2; if before(top[mid], i) { lo = mid + 1 } else { hi = mid } }
            top.insert(i, at: lo)
            if top.count > k { top.removeLast() }
        }
        return top
    }
}
