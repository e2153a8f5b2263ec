/// A token of a chat template: literal text, the delimiters of `{{ }}` and
/// `{% %}`, or a piece of an expression. `line` and `column` (1-based) locate it
/// in the template for error messages.
struct TemplateToken: Equatable {
    enum Kind: Equatable {
        case text(String)
        case expressionStart, expressionEnd, statementStart, statementEnd
        case name(String)
        case string(String)
        case int(Int)
        case double(Double)
        /// An operator or punctuation: == != <= >= < > + - * / // % ~ = ( ) [ ] { } , . : |
        case symbol(String)
    }
    var kind: Kind
    var line: Int
    var column: Int
}
