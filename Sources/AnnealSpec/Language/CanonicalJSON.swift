/// The one textual form of a `Value`: JSON with sorted keys, no spaces, floats
/// in their shortest round-trip form and always with a '.' or exponent, so the
/// same configuration always gives the same bytes (fingerprints rest on it).
public enum CanonicalJSON {
    public static func encode(_ value: Value) -> String {
        var out = ""
        write(value, to: &out, pretty: false, indent: "")
        return out
    }

    /// The same encoding with two-space indentation, for people and git diffs.
    public static func encodePretty(_ value: Value) -> String {
        var out = ""
        write(value, to: &out, pretty: true, indent: "")
        return out
    }

    public static func number(_ v: Double) -> String {
        if v.isNaN { return "\"nan\"" }
        if v.isInfinite { return v < 0 ? "\"-inf\"" : "\"inf\"" }
        var text = "\(v)"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        return text
    }

    public static func quote(_ s: String) -> String {
        // Most strings need no escaping: copy them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func write(_ value: Value, to out: inout String, pretty: Bool, indent: String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let f): out += number(f)
        case .string(let s): out += quote(s)
        case .path(let p): out += "{\"$path\":\(quote(p))}"
        case .artifact(let a): out += "{\"$artifact\":\(quote(a.description))}"
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            let inner = indent + "  "
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + inner }
                write(item, to: &out, pretty: pretty, indent: inner)
            }
            if pretty { out += "\n" + indent }
            out += "]"
        case .map(let entries):
            if entries.isEmpty { out += "{}"; return }
            out += "{"
            let inner = indent + "  "
            for (i, key) in entries.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + inner }
                out += quote(key)
                out += pretty ? ": " : ":"
                write(entries[key]!, to: &out, pretty: pretty, indent: inner)
            }
            if pretty { out += "\n" + indent }
            out += "}"
        }
    }
}
