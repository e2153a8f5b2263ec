/// One preference: a conversation so far (`prompt`), the answer people
/// preferred (`chosen`) and the one they did not (`rejected`), each answer
/// being the assistant turns that follow the prompt, and an optional margin by
/// which the chosen answer should win.
public struct PreferencePair: Equatable, Sendable {
    public var prompt: [ChatMessage]
    public var chosen: [ChatMessage]
    public var rejected: [ChatMessage]
    /// How much better `chosen` is; the reward model's loss asks for `r_c − r_r > margin`.
    public var margin: Double

    public init(prompt: [ChatMessage], chosen: [ChatMessage], rejected: [ChatMessage], margin: Double = 0) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.margin = margin
    }
}
