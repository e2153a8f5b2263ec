/// A preference pair as token ids through the chat template: prompt plus
/// chosen answer and prompt plus rejected answer, each ending at the answer's
/// last `<|im_end|>`, with the answer tokens marked (the ones DPO scores; the
/// reward model reads its score at the last token).
struct EncodedPreference {
    var chosen: SFTExample
    var rejected: SFTExample
    var margin: Double

    /// The pair's two sequences, or nil when either is longer than `maxTokens`.
    static func encode(_ pair: PreferencePair, template: ChatTemplate, maxTokens: Int) -> EncodedPreference? {
        func sequence(_ answer: [ChatMessage]) -> SFTExample? {
            var (tokens, isAnswer) = template.encode(pair.prompt + answer)
            guard let last = isAnswer.lastIndex(of: true) else { return nil }
            tokens.removeLast(tokens.count - last - 1)
            isAnswer.removeLast(isAnswer.count - last - 1)
            return tokens.count <= maxTokens ? SFTExample(tokens: tokens, trained: isAnswer) : nil
        }
        guard let chosen = sequence(pair.chosen), let rejected = sequence(pair.rejected) else { return nil }
        return EncodedPreference(chosen: chosen, rejected: rejected, margin: pair.margin)
    }
}
