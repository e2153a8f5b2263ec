/// The `Decoder` behind `ConfigurationDecoder`: one value (nil when the field
/// is absent and has no default) and the schema type it was read under.
struct ValueDecoder: Decoder {
    let value: Value?
    let type: FieldType?
    /// The field's dotted name, for errors.
    let path: String

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let entries)? = value else { throw ConfigurationError(field: path, "must be a mapping, not \(value?.typeName ?? "absent")") }
        if case .record(let schema)? = self.type {
            var values = entries
            for f in schema.fields where values[f.name] == nil { values[f.name] = f.defaultValue }
            for rule in schema.rules {
                if let v = rule.violation(values) { throw ConfigurationError(field: path.isEmpty ? "with" : path, v.message) }
            }
        }
        return KeyedDecodingContainer(ValueKeyedContainer<Key>(entries: entries, type: self.type, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let items)? = value else { throw ConfigurationError(field: path, "must be a list, not \(value?.typeName ?? "absent")") }
        var element: FieldType?
        if case .list(let e)? = type { element = e }
        return ValueUnkeyedContainer(items: items, element: element, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ValueSingleContainer(decoder: self)
    }
}
