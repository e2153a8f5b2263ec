#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AnnealTensor

/// The model-independent part of KV-cache generation: prompt checks, lockstep
/// positions, picking (greedy, temperature, top-k, top-p as `Sampler`), stop
/// tokens and finish reasons. `step(tokens, position)` runs one position of
/// every row through the model and returns the logits [B, V].
/// (`Sampler.generate` is the same loop bound to GPT; it can move onto this one.)
enum GenerationLoop {
    static func run(prompts: [[Int32]], options: SamplingOptions, vocabulary v: Int, context: Int,
                    step: (_ tokens: [Int32], _ position: Int, _ capacity: Int) -> UnsafePointer<Float>) throws -> [Generation] {
        guard !prompts.isEmpty else { return [] }
        for (i, p) in prompts.enumerated() {
            guard !p.isEmpty else { throw ModelError.invalidInput("prompt \(i) is empty; give at least one token (e.g. BOS)") }
            guard p.count < context else {
                throw ModelError.invalidInput("prompt \(i) has \(p.count) tokens, which leaves no room in the context of \(context)")
            }
            if let bad = p.first(where: { $0 < 0 || Int($0) >= v }) {
                throw ModelError.invalidInput("prompt \(i) holds token id \(bad), outside the vocabulary of \(v)")
            }
        }
        guard options.maxNewTokens >= 0, options.temperature >= 0, (options.topK ?? 1) >= 1,
              (options.topP ?? 1) > 0, (options.topP ?? 1) <= 1 else {
            throw ModelError.invalidInput("sampling options out of range: maxNewTokens >= 0, temperature >= 0, topK >= 1, 0 < topP <= 1")
        }
        let b = prompts.count
        let capacity = min(context, prompts.map(\.count).max()! + options.maxNewTokens)
        var generators = (0..<b).map { SeededGenerator(seed: options.seed &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        var generated = [[Int32]](repeating: [], count: b), logProbs = [[Float]](repeating: [], count: b)
        var finished = [Generation.FinishReason?](repeating: nil, count: b)
        var current = prompts.map { $0[0] }
        for position in 0..<capacity {
            if finished.allSatisfy({ $0 != nil }) { break }
            let all = step(current, position, capacity)
            for row in 0..<b where finished[row] == nil {
                let prompt = prompts[row]
                if position + 1 < prompt.count { current[row] = prompt[position + 1]; continue }
                if generated[row].count >= options.maxNewTokens { finished[row] = .maxNewTokens; continue }
                if position + 1 >= context { finished[row] = .context; continue }
                let logits = all + row * v
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
                } else if position + 2 >= context {
                    finished[row] = .context
                }
            }
        }
        return (0..<b).map { Generation(tokens: generated[$0], logProbabilities: logProbs[$0], finishReason: finished[$0] ?? .context) }
    }
}
