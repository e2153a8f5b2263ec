/// The `collect` step's `clean:` settings. Cleaning runs before every filter.
public struct CleaningConfig: Equatable, Sendable {
    /// Unicode normalisation form.
    public enum Normalization: String, Sendable, CaseIterable {
        /// Canonical composition (é as one scalar); changes no meaning. The default.
        case nfc
        /// Compatibility composition: also folds ligatures, full-width forms, superscripts.
        case nfkc
        /// Leave the text as it is.
        case none
    }

    /// `normalization`: `nfc` (default), `nfkc` or `none`.
    public var normalization: Normalization
    /// `normalize_newlines`: CRLF, CR, NEL, U+2028 and U+2029 become LF. Default true.
    public var normalizeNewlines: Bool
    /// `remove_control`: drop control characters other than tab and newline,
    /// and the byte-order mark. Default true.
    public var removeControl: Bool
    /// `strip_html`: remove tags, comments, `<script>`/`<style>` bodies and decode
    /// the common entities. Default false.
    public var stripHTML: Bool
    /// `collapse_whitespace`: runs of spaces and tabs become one space, line ends
    /// lose trailing blanks, three or more newlines become two, and the text is
    /// trimmed. Default true.
    public var collapseWhitespace: Bool

    public init(normalization: Normalization = .nfc, normalizeNewlines: Bool = true,
                removeControl: Bool = true, stripHTML: Bool = false, collapseWhitespace: Bool = true) {
        self.normalization = normalization
        self.normalizeNewlines = normalizeNewlines
        self.removeControl = removeControl
        self.stripHTML = stripHTML
        self.collapseWhitespace = collapseWhitespace
    }
}
