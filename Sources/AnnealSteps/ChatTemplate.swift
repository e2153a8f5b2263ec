import AnnealEngine
import AnnealText

/// The one chat format of Anneal (ChatML), used alike by `sft`, `evaluate`,
/// the alignment steps and `anneal chat`:
///
///     <|im_start|>system\n{content}<|im_end|>\n
///     <|im_start|>user\n{content}<|im_end|>\n
///     <|im_start|>assistant\n{content}<|im_end|>\n
///
/// Each piece is encoded on its own and the ids are joined, so which tokens
/// belong to an answer is known from the structure, never found by searching
/// for text. An answer is always followed by `<|im_end|>`, the end-of-turn
/// token the model learns to emit and generation stops at. A prompt for
/// generation ends with `<|im_start|>assistant\n`.
public struct ChatTemplate {
    public let tokenizer: BPETokenizer
    /// `<|im_start|>`.
    public let startOfTurn: Int32
    /// `<|im_end|>`, where a turn, and generation, ends.
    public let endOfTurn: Int32

    /// The template over `tokenizer`, which must have `<|im_start|>` and `<|im_end|>`.
    public init(tokenizer: BPETokenizer) throws {
        guard let start = tokenizer.tokenId(forSpecial: "<|im_start|>"), let end = tokenizer.tokenId(forSpecial: "<|im_end|>") else {
            throw StepFailure("the tokenizer lacks the chat tokens <|im_start|> and <|im_end|>; train it with special_tokens including them (the default)")
        }
        self.tokenizer = tokenizer
        startOfTurn = Int32(start)
        endOfTurn = Int32(end)
    }

    /// The tokens of a conversation and, for each token, whether it is part of
    /// an assistant answer (its content and closing `<|im_end|>`).
    public func encode(_ messages: [ChatMessage]) -> (tokens: [Int32], isAnswer: [Bool]) {
        var tokens: [Int32] = [], isAnswer: [Bool] = []
        func add(_ ids: [Int32], answer: Bool) {
            tokens += ids
            isAnswer += Array(repeating: answer, count: ids.count)
        }
        for message in messages {
            let answer = message.role == "assistant"
            add(header(message.role), answer: false)
            add(ids(message.content), answer: answer)
            add([endOfTurn], answer: answer)
            add(ids("\n"), answer: false)
        }
        return (tokens, isAnswer)
    }

    /// The conversation so far followed by the opening of the assistant's turn.
    public func prompt(_ messages: [ChatMessage]) -> [Int32] {
        encode(messages).tokens + header("assistant")
    }

    /// `<|im_start|>role\n`.
    func header(_ role: String) -> [Int32] { [startOfTurn] + ids(role + "\n") }

    func ids(_ text: String) -> [Int32] { tokenizer.encode(text).map { Int32($0) } }
}
