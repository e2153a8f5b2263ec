/// A value inside a chat template: what Jinja's Python objects are to `transformers`.
indirect enum TemplateValue {
    /// A name or attribute that does not exist (prints as "", is false, fails in arithmetic).
    case undefined
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    /// A dictionary, keys in insertion order (as Python's, which `tojson` keeps).
    case dict([(String, TemplateValue)])
    /// Jinja's `namespace()`: the one mutable object, shared by reference.
    case namespace(TemplateNamespace)
    /// A callable: a global function or a bound method such as `content.strip`.
    case function(name: String, call: ([TemplateValue], [String: TemplateValue]) throws -> TemplateValue)

    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        case .namespace, .function: return true
        }
    }

    /// The value of `key` in a dictionary.
    func lookup(_ key: String) -> TemplateValue? {
        guard case .dict(let entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }

    /// Python's equality for these types (1 == 1.0, lists and dicts element-wise).
    static func equal(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && x.allSatisfy { k, v in b.lookup(k).map { equal(v, $0) } ?? false }
        case (.namespace(let x), .namespace(let y)): return x === y
        default: return false
        }
    }

    /// The text `{{ value }}` prints: Python's `str`.
    var printed: String {
        switch self {
        case .undefined: return ""
        case .string(let s): return s
        default: return repr
        }
    }

    /// Python's `repr` (what a list or dict prints as).
    var repr: String {
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e16 ? String(format: "%.1f", d) : String(d)
        case .string(let s):
            let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
            var out = String(quote)
            for c in s.unicodeScalars {
                switch c {
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if Character(c) == quote { out += "\\" + String(quote) } else { out.unicodeScalars.append(c) }
                }
            }
            return out + String(quote)
        case .list(let l): return "[" + l.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.map { TemplateValue.string($0.0).repr + ": " + $0.1.repr }.joined(separator: ", ") + "}"
        case .namespace: return "<Namespace>"
        case .function(let name, _): return "<function \(name)>"
        }
    }

    /// The name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .undefined: return "undefined"
        case .none: return "none"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "float"
        case .string: return "string"
        case .list: return "list"
        case .dict: return "dict"
        case .namespace: return "namespace"
        case .function: return "function"
        }
    }
}
