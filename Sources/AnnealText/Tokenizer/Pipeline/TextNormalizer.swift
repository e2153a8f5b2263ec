import Foundation

/// A normalizer of a Hugging Face `tokenizer.json`, applied to each stretch of
/// text between added tokens before pre-tokenization.
indirect enum TextNormalizer: Sendable {
    /// Unicode canonical composition (Qwen2).
    case nfc
    /// Puts `prefix` before non-empty text (Llama 2's `▁`).
    case prepend([UInt8])
    /// Replaces every occurrence of a literal string (Llama 2 and Gemma: ' ' -> '▁').
    case replace(pattern: [UInt8], content: [UInt8])
    /// Applies each in turn.
    case sequence([TextNormalizer])

    func normalize(_ text: [UInt8]) -> [UInt8] {
        switch self {
        case .nfc:
            let composed = String(decoding: text, as: UTF8.self).precomposedStringWithCanonicalMapping
            return Array(composed.utf8)
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        case .replace(let pattern, let content):
            return UTF8Bytes.replace(pattern, with: content, in: text)
        case .sequence(let steps):
            return steps.reduce(text) { $1.normalize($0) }
        }
    }
}
