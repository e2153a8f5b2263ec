/// How plain YAML text becomes a number or a boolean, by the YAML 1.2 core
/// schema rules and only when a field's type asks for one.
public enum Scalars {
    /// `true`/`false` (and their capitalised forms); quoted text is never a bool.
    public static func bool(_ s: YAMLScalar) -> Bool? {
        guard s.style == .plain else { return nil }
        switch s.value {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// Decimal, `0x` hex, `0o` octal, with `_` separators; quoted text is not a number.
    public static func int(_ s: YAMLScalar) -> Int? {
        guard s.style == .plain else { return nil }
        return parseInt(s.value)
    }

    public static func parseInt(_ text: String) -> Int? {
        var t = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if t.hasPrefix("-") { negative = true; t = t.dropFirst() } else if t.hasPrefix("+") { t = t.dropFirst() }
        guard !t.isEmpty else { return nil }
        var value: Int?
        if t.hasPrefix("0x") || t.hasPrefix("0X") { value = Int(t.dropFirst(2), radix: 16) }
        else if t.hasPrefix("0o") || t.hasPrefix("0O") { value = Int(t.dropFirst(2), radix: 8) }
        else if t.allSatisfy({ $0.isASCII && $0.isNumber }) { value = Int(t) }
        guard let v = value else { return nil }
        return negative ? -v : v
    }

    /// Decimal or scientific notation (`1e-4`, `3.0E+2`), `.inf`, `.nan`; an
    /// integer literal also reads as a float.
    public static func float(_ s: YAMLScalar) -> Double? {
        guard s.style == .plain else { return nil }
        return parseFloat(s.value)
    }

    public static func parseFloat(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: "_", with: "")
        switch t {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        guard !t.isEmpty, t.utf8.allSatisfy({ c in
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e")
                || c == UInt8(ascii: "E") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
        }), t.contains(where: { $0.isNumber }) else { return nil }
        return Double(t)
    }

    /// The value a plain scalar has when nothing says its type (params are
    /// typed by the value they are given): int, float, bool, null, else string.
    public static func untyped(_ s: YAMLScalar) -> Value {
        guard s.style == .plain else { return .string(s.value) }
        if s.value.isEmpty || s.value == "~" || s.value == "null" || s.value == "Null" || s.value == "NULL" { return .null }
        if let b = bool(s) { return .bool(b) }
        if let i = int(s) { return .int(i) }
        if let f = float(s) { return .float(f) }
        return .string(s.value)
    }
}
