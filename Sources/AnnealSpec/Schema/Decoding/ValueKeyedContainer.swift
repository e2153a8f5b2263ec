/// The fields of a record (names by snake case, defaults from its schema) or
/// the entries of a map (names as written).
struct ValueKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [String: Value]
    let type: FieldType?
    let path: String

    var codingPath: [any CodingKey] { [] }

    var schema: Schema? {
        if case .record(let s)? = type { return s }
        return nil
    }

    var allKeys: [Key] {
        if let schema { return schema.fields.compactMap { Key(stringValue: $0.name) } }
        return entries.keys.sorted().compactMap { Key(stringValue: $0) }
    }

    func name(_ key: Key) -> String {
        schema == nil ? key.stringValue : ConfigurationDecoder.fieldName(key.stringValue)
    }

    /// The field's value (given, else the schema's default) and its type.
    func lookup(_ key: Key) throws -> (value: Value?, type: FieldType?, path: String) {
        let name = name(key)
        let full = path.isEmpty ? name : "\(path).\(name)"
        guard let schema else {
            var element: FieldType?
            if case .map(let e)? = type { element = e }
            return (entries[name], element, full)
        }
        guard let field = schema[name] else {
            if schema.allowsOtherKeys { return (entries[name], .any, full) }
            throw ConfigurationError(field: full, "is not in the schema (the property \(key.stringValue) names no field)")
        }
        var value = entries[name] ?? field.defaultValue
        if value == .null { value = nil }
        return (value, field.type, full)
    }

    func contains(_ key: Key) -> Bool { (try? lookup(key).value) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try lookup(key).value == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(type, forKey: key) }

    // The primitive requirements go through the generic path (one place for defaults and errors).
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, forKey: key) }

    func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, fieldType, full) = try lookup(key)
        guard value != nil else { throw ConfigurationError(field: full, "is required") }
        return try ValueSingleContainer(decoder: ValueDecoder(value: value, type: fieldType, path: full)).decode(T.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let (value, fieldType, full) = try lookup(key)
        guard value != nil else { return nil }
        return try ValueSingleContainer(decoder: ValueDecoder(value: value, type: fieldType, path: full)).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, fieldType, full) = try lookup(key)
        return try ValueDecoder(value: value, type: fieldType, path: full).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let (value, fieldType, full) = try lookup(key)
        return try ValueDecoder(value: value, type: fieldType, path: full).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(value: .map(entries), type: type, path: path) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let (value, fieldType, full) = try lookup(key)
        return ValueDecoder(value: value, type: fieldType, path: full)
    }
}
