/// An expression of a chat template, with the position it starts at for error messages.
indirect enum TemplateExpression {
    case literal(TemplateValue)
    case name(String)
    case list([TemplateExpression])
    case dict([(TemplateExpression, TemplateExpression)])
    /// `a.b`
    case attribute(TemplateExpression, String)
    /// `a[b]`
    case index(TemplateExpression, TemplateExpression)
    /// `a[start:stop:step]`, each part optional
    case slice(TemplateExpression, TemplateExpression?, TemplateExpression?, TemplateExpression?)
    /// `f(args, key=value)`
    case call(TemplateExpression, [TemplateExpression], [(String, TemplateExpression)])
    /// `value | name(args)`
    case filter(TemplateExpression, String, [TemplateExpression], [(String, TemplateExpression)])
    /// `value is [not] name(args)`
    case test(TemplateExpression, String, [TemplateExpression], negated: Bool)
    /// `+ - * / // % ~ == != < > <= >= in "not in" and or`
    case binary(String, TemplateExpression, TemplateExpression)
    /// `not x`, `-x`
    case unary(String, TemplateExpression)
    /// `a if condition else b` (no else: undefined)
    case conditional(TemplateExpression, TemplateExpression, TemplateExpression?)
    /// Where the subexpression starts, for error messages.
    case located(TemplateExpression, line: Int, column: Int)
}
