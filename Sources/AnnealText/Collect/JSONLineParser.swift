/// Takes one string field out of a JSON object written on one line, checking
/// that the whole line is valid JSON (RFC 8259) without building the other values.
///
/// Why by hand: `JSONSerialization` builds every value as Foundation objects and
/// reports no column; this reads only what it needs and says where a line is broken.
struct JSONLineParser {
    /// What went wrong, with the 1-based column (in bytes).
    struct Failure: Error, Equatable {
        var column: Int
        var message: String

        /// The message every JSONL reader gives for a broken line:
        /// `data/x.jsonl:17:23: expected ',' or '}'; each line must be one JSON object`.
        func text(path: String, line: Int) -> String {
            "\(path):\(line):\(column): \(message); each line must be one JSON object"
        }
    }

    /// Outcome of reading a line.
    enum Field: Equatable {
        case string(String)
        case missing
        case notString(String)   // the JSON type found instead
    }

    private let p: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var depth = 0
    private static let maxDepth = 512

    private init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    /// The value of `field` in the object on `line`.
    static func field(_ field: String, in line: UnsafeBufferPointer<UInt8>) throws -> Field {
        var parser = JSONLineParser(line)
        return try parser.topLevel(Array(field.utf8))
    }

    /// Checks that `line` is one JSON object with every string valid UTF-8,
    /// for readers that then build the whole value. (The grammar admits
    /// non-ASCII bytes only inside strings, so checking the whole line is
    /// checking every string.)
    static func checkObject(_ line: UnsafeBufferPointer<UInt8>) throws {
        var parser = JSONLineParser(line)
        // Any key will do: the value of the one asked for is checked like every other.
        _ = try parser.topLevel([])
        var decoder = Unicode.UTF8.ForwardParser(), bytes = line.makeIterator(), offset = 0
        while true {
            switch decoder.parseScalar(from: &bytes) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return
            case .error: throw Failure(column: offset + 1, message: "invalid UTF-8 in a string")
            }
        }
    }

    private func fail(_ message: String) -> Failure { Failure(column: i + 1, message: message) }

    private mutating func skipSpace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
    }

    private mutating func topLevel(_ key: [UInt8]) throws -> Field {
        skipSpace()
        guard i < p.count, p[i] == 0x7B else { throw fail("expected a JSON object ('{')") }
        i += 1
        var result = Field.missing
        skipSpace()
        if i < p.count, p[i] == 0x7D {
            i += 1
        } else {
            while true {
                skipSpace()
                guard i < p.count, p[i] == 0x22 else { throw fail("expected a quoted key") }
                let name = try string()
                skipSpace()
                guard i < p.count, p[i] == 0x3A else { throw fail("expected ':' after a key") }
                i += 1
                skipSpace()
                if Array(name.utf8) == key, case .missing = result {
                    guard i < p.count else { throw fail("missing value") }
                    if p[i] == 0x22 {
                        result = .string(try string())
                    } else {
                        result = .notString(typeName(p[i]))
                        try value()
                    }
                } else {
                    try value()
                }
                skipSpace()
                guard i < p.count else { throw fail("unterminated object (missing '}')") }
                if p[i] == 0x2C { i += 1; continue }
                if p[i] == 0x7D { i += 1; break }
                throw fail("expected ',' or '}'")
            }
        }
        skipSpace()
        guard i == p.count else { throw fail("unexpected text after the object") }
        return result
    }

    private func typeName(_ c: UInt8) -> String {
        switch c {
        case 0x7B: return "an object"
        case 0x5B: return "a list"
        case 0x74, 0x66: return "a boolean"
        case 0x6E: return "null"
        default: return "a number"
        }
    }

    /// Skips any value.
    private mutating func value() throws {
        guard i < p.count else { throw fail("missing value") }
        switch p[i] {
        case 0x22: _ = try string(build: false)
        case 0x7B, 0x5B:
            let close: UInt8 = p[i] == 0x7B ? 0x7D : 0x5D
            let isObject = p[i] == 0x7B
            depth += 1
            guard depth <= JSONLineParser.maxDepth else { throw fail("nesting deeper than \(JSONLineParser.maxDepth)") }
            i += 1
            skipSpace()
            if i < p.count, p[i] == close { i += 1; depth -= 1; return }
            while true {
                skipSpace()
                if isObject {
                    guard i < p.count, p[i] == 0x22 else { throw fail("expected a quoted key") }
                    _ = try string(build: false)
                    skipSpace()
                    guard i < p.count, p[i] == 0x3A else { throw fail("expected ':' after a key") }
                    i += 1
                    skipSpace()
                }
                try value()
                skipSpace()
                guard i < p.count else { throw fail("unterminated \(isObject ? "object" : "list")") }
                if p[i] == 0x2C { i += 1; continue }
                if p[i] == close { i += 1; break }
                throw fail("expected ',' or '\(isObject ? "}" : "]")'")
            }
            depth -= 1
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= p.count, Array(p[i..<(i + w.count)]) == w else { throw fail("invalid value") }
        i += w.count
    }

    private mutating func number() throws {
        let s = i
        if i < p.count, p[i] == 0x2D { i += 1 }
        func digits() -> Int { let d = i; while i < p.count, p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }; return i - d }
        guard digits() > 0 else { i = s; throw fail("invalid value") }
        if i < p.count, p[i] == 0x2E { i += 1; guard digits() > 0 else { throw fail("invalid number") } }
        if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard digits() > 0 else { throw fail("invalid number") }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= p.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// Reads a string starting at the opening quote; validates UTF-8 and escapes.
    private mutating func string(build: Bool = true) throws -> String {
        i += 1
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < p.count else { throw fail("unterminated string") }
            let c = p[i]
            if c == 0x22 {
                if build { out.append(contentsOf: p[runStart..<i]) }
                i += 1
                break
            }
            if c < 0x20 { throw fail("control character inside a string (escape it)") }
            if c != 0x5C { i += 1; continue }
            if build { out.append(contentsOf: p[runStart..<i]) }
            i += 1
            guard i < p.count else { throw fail("unterminated string") }
            let e = p[i]
            i += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var v = try hex4()
                if (0xD800...0xDBFF).contains(v) {
                    guard i + 1 < p.count, p[i] == 0x5C, p[i + 1] == 0x75 else { throw fail("unpaired surrogate in \\u escape") }
                    i += 2
                    let lo = try hex4()
                    guard (0xDC00...0xDFFF).contains(lo) else { throw fail("unpaired surrogate in \\u escape") }
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(v) {
                    throw fail("unpaired surrogate in \\u escape")
                }
                if build { out.append(contentsOf: String(Unicode.Scalar(v)!).utf8) }
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
            runStart = i
        }
        guard build else { return "" }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
        return s
    }
}
