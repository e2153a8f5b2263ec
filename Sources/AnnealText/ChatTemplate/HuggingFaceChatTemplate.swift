import Foundation

/// A model family's chat template (the Jinja text `transformers` renders with
/// `apply_chat_template`), parsed once and rendered by Anneal's own interpreter
/// of the Jinja subset chat templates use. Rendering gives the same text as
/// `transformers` byte for byte; syntax, filters or tests outside the subset are
/// errors naming the template line and column.
public struct HuggingFaceChatTemplate: @unchecked Sendable {
    /// Where the template came from, used in errors (`chat_template.jinja`, ...).
    public let name: String
    /// The template text.
    public let source: String
    /// `bos_token` and `eos_token` as the template sees them (from tokenizer_config.json).
    public var bosToken: String
    public var eosToken: String
    let nodes: [TemplateNode]

    /// Parses `source`; throws on syntax outside the supported subset.
    public init(source: String, name: String = "chat template", bosToken: String = "", eosToken: String = "") throws {
        self.name = name
        self.source = source
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.nodes = try TemplateParser.parse(source, name: name)
    }

    /// The text of `messages` as the model was trained to see it; with
    /// `addGenerationPrompt`, followed by the opening of an assistant turn.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = false) throws -> String {
        let list = TemplateValue.list(messages.map { .dict([("role", .string($0.role)), ("content", .string($0.content))]) })
        var renderer = TemplateRenderer(name: name, variables: [
            "messages": list,
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
            "tools": .none,
            "documents": .none,
        ])
        try renderer.render(nodes)
        return renderer.output
    }

    /// The rendered conversation (as `render` gives it) and the ranges of `text`
    /// that belong to its assistant messages (what completion-only SFT trains on).
    ///
    /// Found as TRL does, by rendering prefixes: assistant message i spans from the
    /// end of `messages[..<i]` rendered with the generation prompt to the end of
    /// `messages[...i]` rendered without it, so it includes what the template puts
    /// after the content (`<|im_end|>\n`, `</s>`, `<end_of_turn>\n`), the tokens the
    /// model must learn to emit to stop. Throws if a prefix's rendering is not a
    /// prefix of the full one (a template that rewrites earlier turns).
    public func renderWithAssistantRanges(_ messages: [ChatMessage]) throws -> (text: String, assistantRanges: [Range<String.Index>]) {
        let full = try render(messages)
        var ranges: [Range<String.Index>] = []
        for (i, m) in messages.enumerated() where m.role == "assistant" {
            let before = try render(Array(messages[..<i]), addGenerationPrompt: true)
            let through = try render(Array(messages[...i]))
            guard full.utf8.starts(with: before.utf8), full.utf8.starts(with: through.utf8),
                  through.utf8.starts(with: before.utf8) else {
                throw TextError("\(name): rendering the conversation up to message \(i) is not a prefix of rendering it all, so the assistant text cannot be located; the template rewrites earlier turns")
            }
            let start = full.utf8.index(full.startIndex, offsetBy: before.utf8.count)
            let end = full.utf8.index(full.startIndex, offsetBy: through.utf8.count)
            ranges.append(start..<end)
        }
        return (full, ranges)
    }

    /// The chat template of a tokenizer directory: `chat_template.jinja` (current
    /// transformers) or else `chat_template` in `tokenizer_config.json` (older
    /// files), with `bos_token`/`eos_token` from `tokenizer_config.json`.
    public static func load(tokenizerDirectory dir: URL) throws -> HuggingFaceChatTemplate {
        let configURL = dir.appendingPathComponent("tokenizer_config.json")
        var config: [String: Any] = [:]
        if FileManager.default.fileExists(atPath: configURL.path) {
            let data = try BPETokenizer.readTokenizerFile(configURL)
            guard let c = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw TextError("\(configURL.path): not a JSON object; expected a tokenizer_config.json")
            }
            config = c
        }
        func token(_ key: String) throws -> String {
            switch config[key] {
            case nil, is NSNull: return ""
            case let s as String: return s
            case let o as [String: Any]:
                guard let s = o["content"] as? String else { throw TextError("\(configURL.path): \(key) has no 'content'") }
                return s
            default: throw TextError("\(configURL.path): \(key) is neither a string nor an object with 'content'")
            }
        }
        let jinjaURL = dir.appendingPathComponent("chat_template.jinja")
        if FileManager.default.fileExists(atPath: jinjaURL.path) {
            let text = String(decoding: try BPETokenizer.readTokenizerFile(jinjaURL), as: UTF8.self)
            return try HuggingFaceChatTemplate(source: text, name: jinjaURL.path, bosToken: try token("bos_token"), eosToken: try token("eos_token"))
        }
        guard let template = config["chat_template"] else {
            throw TextError("\(dir.path): no chat_template.jinja and no chat_template in tokenizer_config.json; add the model's chat template")
        }
        guard let text = template as? String else {
            throw TextError("\(configURL.path): chat_template is not a string (named templates are not supported); use the 'default' one as chat_template.jinja")
        }
        return try HuggingFaceChatTemplate(source: text, name: "\(configURL.path) chat_template", bosToken: try token("bos_token"), eosToken: try token("eos_token"))
    }
}
