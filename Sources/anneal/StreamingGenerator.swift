import AnnealModel
import AnnealText

/// Generates text token by token and hands each complete piece of UTF-8 to a
/// callback as it comes. `Sampler` returns whole generations, so each token is
/// one `Sampler` call over the sequence so far (the prompt goes through the
/// KV cache again each time: fine for the small models this tool trains).
/// Token i is drawn with seed `seed + i`, so a run is reproducible.
struct StreamingGenerator {
    let model: GPT
    let tokenizer: BPETokenizer

    /// The generated ids (without a stop token) and why generation ended.
    func generate(prompt: [Int32], options: SamplingOptions, onText: (String) -> Void) throws -> (tokens: [Int32], reason: Generation.FinishReason) {
        let sampler = Sampler(model: model)
        var sequence = prompt, generated: [Int32] = []
        var printedBytes = 0
        while generated.count < options.maxNewTokens {
            guard sequence.count < model.config.context else { return (generated, .context) }
            var step = options
            step.maxNewTokens = 1
            step.seed = options.seed &+ UInt64(generated.count)
            let g = try sampler.generate(prompts: [sequence], options: step)[0]
            guard let token = g.tokens.first else { return (generated, .context) }
            if options.stopTokens.contains(token) { return (generated, .stopToken) }
            generated.append(token)
            sequence.append(token)
            let bytes = try tokenizer.decodeBytes(generated.map(Int.init))
            let complete = Self.completeUTF8Prefix(bytes)
            if complete > printedBytes {
                onText(String(decoding: bytes[printedBytes..<complete], as: UTF8.self))
                printedBytes = complete
            }
        }
        return (generated, .maxNewTokens)
    }

    /// The length of the longest prefix that does not end inside a UTF-8 character.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        var back = 0
        while i > 0 && back < 4 {
            let b = bytes[i - 1]
            if b & 0xC0 != 0x80 {
                let need = b & 0x80 == 0 ? 1 : b & 0xE0 == 0xC0 ? 2 : b & 0xF0 == 0xE0 ? 3 : 4
                return back + 1 >= need ? bytes.count : i - 1
            }
            i -= 1
            back += 1
        }
        return bytes.count
    }
}
