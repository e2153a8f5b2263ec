import AnnealEngine
import Foundation
import AnnealSpec

/// Preference pairs read from JSONL, in the forms TRL reads:
///
/// - explicit prompt, strings: `{"prompt": "...", "chosen": "...", "rejected": "..."}`;
///   the prompt is a user turn, each answer an assistant turn;
/// - explicit prompt, chat: `prompt` a list of `{"role", "content"}` messages and
///   `chosen`/`rejected` lists of the assistant turns that follow;
/// - implicit prompt: only `chosen` and `rejected`; as message lists the prompt
///   is the messages they share from the start, as strings it is their common
///   prefix up to the last whitespace before they differ (so no word is split).
///
/// Each line may add a number `margin`. A line that fits none of these is an
/// error naming the file, the line and the field. A pair whose chosen answer
/// is its rejected answer carries no preference (DPO would sit at loss log 2
/// and accuracy 0 on it): it is left out with a warning, and a file of only
/// such pairs is an error.
public enum PreferenceData {
    /// Every usable pair in `path`.
    public static func read(_ path: String) throws -> [PreferencePair] {
        try readCounting(path).pairs
    }

    /// Every usable pair in `path`, and the identical pairs left out (already
    /// warned about in the step's log).
    static func readCounting(_ path: String) throws -> (pairs: [PreferencePair], identical: DroppedRows) {
        let lines = try JSONLines.read(path)
        guard !lines.isEmpty else { throw StepFailure("\(path) holds no preference pairs") }
        var identical = DroppedRows(path: path, what: "a pair whose chosen and rejected answers are identical",
                                    advice: "such a pair teaches no preference; fix or remove it")
        var pairs: [PreferencePair] = []
        for line in lines {
            // Compared as written too: two identical conversations may not even split into prompt and answers.
            if let chosen = line.value["chosen"], chosen == line.value["rejected"] {
                identical.add(line: line.number)
                continue
            }
            let pair = try pair(line, path: path)
            if pair.chosen == pair.rejected { identical.add(line: line.number) } else { pairs.append(pair) }
        }
        guard !pairs.isEmpty else { throw identical.nothingLeft(total: lines.count) }
        identical.warn()
        return (pairs, identical)
    }

    static func pair(_ line: JSONLines.Line, path: String) throws -> PreferencePair {
        let place = "\(path):\(line.number)"
        let value = line.value
        var margin = 0.0
        if let m = value["margin"], m != .null {
            guard let number = m.double else { throw StepFailure("\(place): field 'margin' is a \(m.typeName); it must be a number") }
            margin = number
        }
        for key in ["chosen", "rejected"] where value[key] == nil {
            throw StepFailure("\(place): missing the field '\(key)'; a preference line needs 'chosen' and 'rejected' (and usually 'prompt')")
        }
        guard let promptValue = value["prompt"], promptValue != .null else {
            if let chosen = value["chosen"]?.string, let rejected = value["rejected"]?.string {
                let pair = try implicitTextPair(chosen, rejected, margin: margin, place: place)
                try check(pair, place: place)
                return pair
            }
            // Implicit prompt: the shared opening of two conversations.
            let chosen = try messages(value["chosen"]!, field: "chosen", place: place, implicit: true)
            let rejected = try messages(value["rejected"]!, field: "rejected", place: place, implicit: true)
            var shared = 0
            while shared < min(chosen.count, rejected.count) && chosen[shared] == rejected[shared] { shared += 1 }
            // The answers start at the first differing assistant turn.
            while shared > 0 && chosen[shared - 1].role == "assistant" { shared -= 1 }
            guard shared > 0 else {
                throw StepFailure("\(place): 'chosen' and 'rejected' share no opening messages to serve as the prompt; add a 'prompt' field")
            }
            let pair = PreferencePair(prompt: Array(chosen[..<shared]), chosen: Array(chosen[shared...]),
                                      rejected: Array(rejected[shared...]), margin: margin)
            try check(pair, place: place)
            return pair
        }
        let prompt: [ChatMessage]
        if let text = promptValue.string {
            prompt = [ChatMessage(role: "user", content: text)]
        } else {
            prompt = try messages(promptValue, field: "prompt", place: place, implicit: false)
        }
        func answer(_ key: String) throws -> [ChatMessage] {
            let v = value[key]!
            if let text = v.string { return [ChatMessage(role: "assistant", content: text)] }
            return try messages(v, field: key, place: place, implicit: false)
        }
        let pair = PreferencePair(prompt: prompt, chosen: try answer("chosen"), rejected: try answer("rejected"), margin: margin)
        try check(pair, place: place)
        return pair
    }

    /// Two texts with no `prompt`: the prompt is their common prefix, cut back
    /// to the last whitespace before they differ; each answer is the rest.
    static func implicitTextPair(_ chosen: String, _ rejected: String, margin: Double, place: String) throws -> PreferencePair {
        let a = Array(chosen), b = Array(rejected)
        var shared = 0
        while shared < min(a.count, b.count) && a[shared] == b[shared] { shared += 1 }
        // Back off to a word boundary unless the prefix already ends at one.
        if shared < a.count || shared < b.count {
            while shared > 0 && !a[shared - 1].isWhitespace { shared -= 1 }
        }
        let prompt = String(a[..<shared]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !prompt.isEmpty else {
            throw StepFailure("\(place): 'chosen' and 'rejected' share no opening words to serve as the prompt; add a 'prompt' field")
        }
        return PreferencePair(prompt: [ChatMessage(role: "user", content: prompt)],
                              chosen: [ChatMessage(role: "assistant", content: String(a[shared...]).trimmingCharacters(in: .whitespacesAndNewlines))],
                              rejected: [ChatMessage(role: "assistant", content: String(b[shared...]).trimmingCharacters(in: .whitespacesAndNewlines))],
                              margin: margin)
    }

    static func messages(_ value: Value, field: String, place: String, implicit: Bool) throws -> [ChatMessage] {
        guard let items = value.list else {
            throw StepFailure("\(place): field '\(field)' is a \(value.typeName); it must be a string or a list of {\"role\", \"content\"} messages")
        }
        return try items.enumerated().map { i, item in
            guard let role = item["role"]?.string, let content = item["content"]?.string else {
                throw StepFailure("\(place): \(field)[\(i)] needs string fields 'role' and 'content'")
            }
            guard ChatMessage.roles.contains(role) else {
                throw StepFailure("\(place): \(field)[\(i)].role is '\(role)'; use one of \(ChatMessage.roles.joined(separator: ", "))")
            }
            return ChatMessage(role: role, content: content)
        }
    }

    static func check(_ pair: PreferencePair, place: String) throws {
        guard !pair.prompt.isEmpty else { throw StepFailure("\(place): the prompt is empty") }
        for (name, answer) in [("chosen", pair.chosen), ("rejected", pair.rejected)] {
            guard !answer.isEmpty, answer.allSatisfy({ $0.role == "assistant" }) else {
                throw StepFailure("\(place): '\(name)' must be one or more assistant turns after the prompt")
            }
        }
    }
}
