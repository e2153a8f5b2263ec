/// Reads JSON into a `Value`: the inverse of `CanonicalJSON`, including its
/// `{"$path": ...}` and `{"$artifact": "step.output"}` forms. Numbers without
/// a fraction or exponent are ints, others floats, so a round trip keeps types.
public enum JSONReader {
    public struct Failure: Error, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    public static func parse(_ text: String) throws -> Value {
        var bytes = Array(text.utf8)
        bytes.append(0)
        var reader = Cursor(bytes: bytes)
        reader.skipSpace()
        let v = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count - 1 else { throw Failure(offset: reader.at, message: "trailing characters") }
        return v
    }

    public static func parse(_ data: [UInt8]) throws -> Value {
        try parse(String(decoding: data, as: UTF8.self))
    }

    struct Cursor {
        let bytes: [UInt8]
        var at = 0

        var peek: UInt8 { bytes[at] }

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
        }

        func fail(_ message: String) -> Failure { Failure(offset: at, message: message) }

        mutating func expect(_ c: UInt8) throws {
            guard peek == c else { throw fail("expected '\(Character(UnicodeScalar(c)))'") }
            at += 1
        }

        mutating func literal(_ word: String) throws {
            for c in word.utf8 { try expect(c) }
        }

        mutating func value(depth: Int) throws -> Value {
            guard depth < 512 else { throw fail("nested too deeply") }
            switch peek {
            case UInt8(ascii: "{"):
                at += 1
                var map: [String: Value] = [:]
                skipSpace()
                if peek == UInt8(ascii: "}") { at += 1; return .map(map) }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    map[key] = try value(depth: depth + 1)
                    skipSpace()
                    if peek == UInt8(ascii: ",") { at += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    break
                }
                if map.count == 1, let p = map["$path"], case .string(let s) = p { return .path(s) }
                if map.count == 1, let a = map["$artifact"], case .string(let s) = a, let dot = s.lastIndex(of: ".") {
                    return .artifact(ArtifactReference(step: String(s[..<dot]), output: String(s[s.index(after: dot)...])))
                }
                return .map(map)
            case UInt8(ascii: "["):
                at += 1
                var list: [Value] = []
                skipSpace()
                if peek == UInt8(ascii: "]") { at += 1; return .list(list) }
                while true {
                    skipSpace()
                    list.append(try value(depth: depth + 1))
                    skipSpace()
                    if peek == UInt8(ascii: ",") { at += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    break
                }
                return .list(list)
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                return try number()
            }
        }

        mutating func number() throws -> Value {
            let start = at
            var isFloat = false
            while at < bytes.count {
                let c = bytes[at]
                if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                    at += 1
                } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    isFloat = true
                    at += 1
                } else {
                    break
                }
            }
            let text = String(decoding: bytes[start..<at], as: UTF8.self)
            if !isFloat, let i = Int(text) { return .int(i) }
            guard let d = Double(text) else { throw Failure(offset: start, message: "not a number") }
            return .float(d)
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while true {
                guard at < bytes.count - 1 else { throw fail("unterminated string") }
                let c = bytes[at]
                at += 1
                if c == UInt8(ascii: "\"") { break }
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                        at += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: Array(String(UnicodeScalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard at + 4 < bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else {
                throw fail("bad \\u escape")
            }
            at += 4
            return v
        }
    }
}
