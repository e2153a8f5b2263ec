import AnnealEngine
import AnnealSpec

/// Prompts for generation (PPO rollouts, the `reward`, `win-rate` and `kl`
/// suites of `evaluate`): JSONL with a string `prompt` (sent as a user turn)
/// or a `messages` list of `{"role", "content"}` turns. A line that has
/// neither names the file and line.
enum PromptSet {
    static func read(_ path: String) throws -> [[ChatMessage]] {
        let lines = try JSONLines.read(path)
        guard !lines.isEmpty else { throw StepFailure("\(path) holds no prompts") }
        return try lines.map { line in
            let place = "\(path):\(line.number)"
            if let text = line.value["prompt"]?.string { return [ChatMessage(role: "user", content: text)] }
            if let value = line.value["prompt"] ?? line.value["messages"], value.list != nil {
                let messages = try PreferenceData.messages(value, field: line.value["prompt"] != nil ? "prompt" : "messages",
                                                           place: place, implicit: false)
                guard !messages.isEmpty else { throw StepFailure("\(place): the prompt has no messages") }
                return messages
            }
            throw StepFailure("\(place): give the prompt as a string 'prompt' or a list 'messages' of {\"role\", \"content\"} turns")
        }
    }
}
