import Foundation

/// Applies `CleaningConfig` to one document: HTML stripping, Unicode
/// normalisation, newline normalisation, control-character removal and
/// whitespace collapsing, in that order. A pure function of its input.
public struct TextCleaner: Sendable {
    /// The settings applied.
    public let config: CleaningConfig

    public init(config: CleaningConfig = CleaningConfig()) { self.config = config }

    /// The cleaned text.
    public func clean(_ text: String) -> String {
        var t = text
        if config.stripHTML { t = HTMLStripper.strip(t) }
        switch config.normalization {
        case .nfc: if !isASCII(t) { t = t.precomposedStringWithCanonicalMapping }
        case .nfkc: if !isASCII(t) { t = t.precomposedStringWithCompatibilityMapping }
        case .none: break
        }
        if !(config.normalizeNewlines || config.removeControl || config.collapseWhitespace) { return t }
        return scalarPass(t)
    }

    private func isASCII(_ t: String) -> Bool { t.utf8.allSatisfy { $0 < 0x80 } }

    /// Newlines, control characters and whitespace in one pass over the scalars.
    private func scalarPass(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false     // a run of horizontal whitespace seen, not yet written
        var newlines = 0             // newlines seen in the current run, not yet written
        var atStart = true
        let collapse = config.collapseWhitespace
        var previousWasCR = false
        for s in text.unicodeScalars {
            var c = s
            if config.normalizeNewlines {
                if c == "\r" { previousWasCR = true; c = "\n" } else {
                    if c == "\n" && previousWasCR { previousWasCR = false; continue }
                    previousWasCR = false
                    if c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029 { c = "\n" }
                }
            }
            if config.removeControl && c != "\n" && c != "\t" {
                let v = c.value
                if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0xFEFF { continue }
            }
            guard collapse else { out.append(c); continue }
            if c == "\n" {
                pendingSpace = false   // trailing blanks of a line are dropped
                newlines += 1
                continue
            }
            if c == " " || c == "\t" || (c.value > 0x7F && c.properties.isWhitespace) {
                pendingSpace = true
                continue
            }
            if !atStart {
                if newlines > 0 {
                    for _ in 0..<min(newlines, 2) { out.append("\n") }
                } else if pendingSpace {
                    out.append(" ")
                }
            }
            newlines = 0
            pendingSpace = false
            atStart = false
            out.append(c)
        }
        return String(out)
    }
}
