/// A statement of a chat template.
indirect enum TemplateNode {
    case text(String)
    case output(TemplateExpression)
    /// `if`/`elif` branches in order, then the `else` body.
    case ifChain([(TemplateExpression, [TemplateNode])], [TemplateNode])
    /// `for a[, b] in iterable [if condition]` body `else` body.
    case forLoop(targets: [String], iterable: TemplateExpression, condition: TemplateExpression?, body: [TemplateNode], otherwise: [TemplateNode])
    /// `set a[, b] = value`
    case set(targets: [String], TemplateExpression)
    /// `set namespace.attribute = value`
    case setAttribute(String, String, TemplateExpression)
    /// `{% generation %}...{% endgeneration %}` (transformers' marker of assistant text): renders its body.
    case generation([TemplateNode])
}
