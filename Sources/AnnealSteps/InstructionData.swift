import AnnealEngine
import AnnealSpec

/// SFT examples read from JSONL in one of three forms, each turned into a
/// conversation for the chat template:
///
/// - `alpaca`: `{"instruction", "input" (optional), "output"}`; the user says
///   the instruction, then a blank line and the input when there is one; the
///   assistant answers the output.
/// - `chat`: `{"messages": [{"role", "content"}, ...]}` with roles `system`,
///   `user`, `assistant`, at least one of them an assistant turn.
/// - `prompt_completion`: `{"prompt", "completion"}`.
///
/// `auto` picks the form from the keys of the first line; every line must
/// then have that form. A line that does not is an error naming the file,
/// the line and the field. An example whose answers are all empty (or only
/// whitespace) would teach the model to end its turn at once: it is left out
/// with a warning, and a file of only such examples is an error.
enum InstructionData {
    static let formats = ["auto", "alpaca", "chat", "prompt_completion"]

    static func read(_ path: String, format declared: String) throws -> [[ChatMessage]] {
        try readCounting(path, format: declared).conversations
    }

    /// The usable examples of `path`, and those left out for an empty answer
    /// (already warned about in the step's log).
    static func readCounting(_ path: String, format declared: String) throws -> (conversations: [[ChatMessage]], emptyAnswers: DroppedRows) {
        let lines = try JSONLines.read(path)
        guard let first = lines.first else { throw StepFailure("\(path) holds no examples") }
        let format = declared == "auto" ? try detect(first, path: path) : declared
        var empty = DroppedRows(path: path, what: "an example with an empty answer",
                                advice: "write the answer the model should learn (output, completion or the assistant's content), or remove the line")
        var conversations: [[ChatMessage]] = []
        for line in lines {
            let messages = try conversation(line, format: format, path: path)
            let answered = messages.contains { $0.role == "assistant" && !$0.content.allSatisfy(\.isWhitespace) }
            if answered { conversations.append(messages) } else { empty.add(line: line.number) }
        }
        guard !conversations.isEmpty else { throw empty.nothingLeft(total: lines.count) }
        empty.warn()
        return (conversations, empty)
    }

    static func detect(_ line: JSONLines.Line, path: String) throws -> String {
        let keys = line.value.map ?? [:]
        if keys["messages"] != nil { return "chat" }
        if keys["instruction"] != nil { return "alpaca" }
        if keys["prompt"] != nil { return "prompt_completion" }
        throw StepFailure("\(path):\(line.number): cannot tell the format from keys \(keys.keys.sorted()); expected 'messages' (chat), 'instruction'/'output' (alpaca) or 'prompt'/'completion', or set format")
    }

    static func conversation(_ line: JSONLines.Line, format: String, path: String) throws -> [ChatMessage] {
        let where_ = "\(path):\(line.number)"
        func text(_ key: String, optional: Bool = false) throws -> String? {
            switch line.value[key] {
            case .string(let s)?: return s
            case nil, .null?:
                if optional { return nil }
                throw StepFailure("\(where_): missing the string field '\(key)' a \(format) example needs")
            case let other?:
                throw StepFailure("\(where_): field '\(key)' holds a value of type \(other.typeName); it must be a string")
            }
        }
        switch format {
        case "alpaca":
            var user = try text("instruction")!
            if let input = try text("input", optional: true), !input.isEmpty { user += "\n\n" + input }
            var messages = [ChatMessage(role: "user", content: user), ChatMessage(role: "assistant", content: try text("output")!)]
            if let system = try text("system", optional: true), !system.isEmpty {
                messages.insert(ChatMessage(role: "system", content: system), at: 0)
            }
            return messages
        case "prompt_completion":
            return [ChatMessage(role: "user", content: try text("prompt")!),
                    ChatMessage(role: "assistant", content: try text("completion")!)]
        default:
            guard let items = line.value["messages"]?.list else {
                throw StepFailure("\(where_): field 'messages' must be a list of {\"role\", \"content\"} objects")
            }
            let messages = try items.enumerated().map { i, item -> ChatMessage in
                guard let role = item["role"]?.string, let content = item["content"]?.string else {
                    throw StepFailure("\(where_): messages[\(i)] needs string fields 'role' and 'content'")
                }
                guard ChatMessage.roles.contains(role) else {
                    throw StepFailure("\(where_): messages[\(i)].role is '\(role)'; use one of \(ChatMessage.roles.joined(separator: ", "))")
                }
                return ChatMessage(role: role, content: content)
            }
            guard messages.contains(where: { $0.role == "assistant" }) else {
                throw StepFailure("\(where_): 'messages' has no assistant turn to learn from")
            }
            return messages
        }
    }
}
