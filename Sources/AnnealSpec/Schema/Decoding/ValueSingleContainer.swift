/// One scalar: numbers, text, paths and booleans as the schema typed them.
struct ValueSingleContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder

    var codingPath: [any CodingKey] { [] }

    func mismatch(_ expected: String) -> ConfigurationError {
        ConfigurationError(field: decoder.path, "must be \(expected), not \(decoder.value?.typeName ?? "absent")")
    }

    func decodeNil() -> Bool { decoder.value == nil || decoder.value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let v = decoder.value?.bool else { throw mismatch("true or false") }
        return v
    }

    func decode(_ type: String.Type) throws -> String {
        guard let v = decoder.value?.string else { throw mismatch("text or a path") }
        return v
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let v = decoder.value?.double else { throw mismatch("a number") }
        return v
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int {
        guard let v = decoder.value?.int else { throw mismatch("a whole number") }
        return v
    }

    func decode(_ type: UInt64.Type) throws -> UInt64 {
        let v = try decode(Int.self)
        guard v >= 0 else { throw mismatch("a whole number of at least 0") }
        return UInt64(v)
    }

    func decode(_ type: Int8.Type) throws -> Int8 {
        guard let v = Int8(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits Int8") }
        return v
    }

    func decode(_ type: Int16.Type) throws -> Int16 {
        guard let v = Int16(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits Int16") }
        return v
    }

    func decode(_ type: Int32.Type) throws -> Int32 {
        guard let v = Int32(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits Int32") }
        return v
    }

    func decode(_ type: Int64.Type) throws -> Int64 {
        guard let v = Int64(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits Int64") }
        return v
    }

    func decode(_ type: UInt.Type) throws -> UInt {
        guard let v = UInt(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits UInt") }
        return v
    }

    func decode(_ type: UInt8.Type) throws -> UInt8 {
        guard let v = UInt8(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits UInt8") }
        return v
    }

    func decode(_ type: UInt16.Type) throws -> UInt16 {
        guard let v = UInt16(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits UInt16") }
        return v
    }

    func decode(_ type: UInt32.Type) throws -> UInt32 {
        guard let v = UInt32(exactly: try decode(Int.self)) else { throw mismatch("a whole number that fits UInt32") }
        return v
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type: return try decode(Bool.self) as! T
        case is String.Type: return try decode(String.self) as! T
        case is Double.Type: return try decode(Double.self) as! T
        case is Float.Type: return try decode(Float.self) as! T
        case is Int.Type: return try decode(Int.self) as! T
        case is UInt64.Type: return try decode(UInt64.self) as! T
        default: return try T(from: decoder)
        }
    }
}
