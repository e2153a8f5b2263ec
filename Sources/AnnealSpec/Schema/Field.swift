/// One field of a step kind's configuration: its type, default and doc.
public struct Field: Sendable {
    public var name: String
    public var type: FieldType
    /// The value used when the field is absent; nil with `required == false`
    /// means the field is simply left out of the configuration.
    public var defaultValue: Value?
    public var required: Bool
    /// One line that says what the field does.
    public var doc: String

    public init(_ name: String, _ type: FieldType, default defaultValue: Value? = nil, required: Bool = false, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.required = required
        self.doc = doc
    }
}

/// An ordered set of fields: the shape of a step's `with:` or of a record.
public struct Schema: Sendable {
    public var fields: [Field]
    /// Whether keys that are not fields are accepted (and kept as given).
    public var allowsOtherKeys: Bool
    /// Requirements that involve several fields (see `FieldRule`).
    public var rules: [FieldRule]

    public init(_ fields: [Field], allowsOtherKeys: Bool = false, rules: [FieldRule] = []) {
        self.fields = fields
        self.allowsOtherKeys = allowsOtherKeys
        self.rules = rules
    }

    public subscript(name: String) -> Field? {
        fields.first { $0.name == name }
    }
}
