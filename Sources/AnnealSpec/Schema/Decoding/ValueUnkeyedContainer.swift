/// The items of a list field, in order.
struct ValueUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [Value]
    let element: FieldType?
    let path: String
    private(set) var currentIndex = 0

    init(items: [Value], element: FieldType?, path: String) {
        self.items = items
        self.element = element
        self.path = path
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else { throw ConfigurationError(field: path, "has only \(items.count) items") }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], type: element, path: "\(path)[\(currentIndex)]")
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try ValueSingleContainer(decoder: next()).decode(T.self) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, generic: ()) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, generic: ()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, generic: ()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(type as Float.Type, generic: ()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, generic: ()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(type as Int8.Type, generic: ()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(type as Int16.Type, generic: ()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(type as Int32.Type, generic: ()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(type as Int64.Type, generic: ()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(type as UInt.Type, generic: ()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type as UInt8.Type, generic: ()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type as UInt16.Type, generic: ()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type as UInt32.Type, generic: ()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type as UInt64.Type, generic: ()) }

    private mutating func decode<T: Decodable>(_ type: T.Type, generic: Void) throws -> T { try ValueSingleContainer(decoder: next()).decode(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}
