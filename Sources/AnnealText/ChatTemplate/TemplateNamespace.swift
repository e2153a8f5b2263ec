/// The object `namespace()` makes: attributes that `{% set ns.x = ... %}` can
/// change from inside a loop (plain `set` there would not outlive the iteration).
final class TemplateNamespace {
    var attributes: [(String, TemplateValue)]

    init(_ attributes: [(String, TemplateValue)]) { self.attributes = attributes }

    subscript(name: String) -> TemplateValue? {
        get { attributes.first { $0.0 == name }?.1 }
        set {
            guard let value = newValue else { return }
            if let i = attributes.firstIndex(where: { $0.0 == name }) { attributes[i].1 = value } else { attributes.append((name, value)) }
        }
    }
}
