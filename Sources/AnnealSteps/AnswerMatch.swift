/// How a generated answer is compared with the accepted ones (SQuAD-style
/// normalisation: lower case, punctuation and the articles a/an/the removed,
/// whitespace collapsed).
enum AnswerMatch {
    static func normalise(_ text: String) -> String {
        let lowered = text.lowercased()
        let kept = String(lowered.unicodeScalars.map { isPunctuation($0.properties.generalCategory) ? " " : Character($0) })
        return kept.split(whereSeparator: \.isWhitespace).filter { !["a", "an", "the"].contains($0) }.joined(separator: " ")
    }

    private static func isPunctuation(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The prediction equals an accepted answer after normalisation.
    static func exact(_ prediction: String, _ answers: [String]) -> Bool {
        let p = normalise(prediction)
        return answers.contains { normalise($0) == p }
    }

    /// An accepted answer (non-empty after normalisation) appears in the prediction as whole words.
    static func contains(_ prediction: String, _ answers: [String]) -> Bool {
        let p = " " + normalise(prediction) + " "
        return answers.contains { let a = normalise($0); return !a.isEmpty && p.contains(" " + a + " ") }
    }
}
