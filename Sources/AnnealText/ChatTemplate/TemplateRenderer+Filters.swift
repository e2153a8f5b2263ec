import Foundation

/// Attributes and methods, filters and tests of chat templates. Unknown names are
/// errors naming the template position, never silently rendered as empty.
extension TemplateRenderer {
    static let whitespace = CharacterSet.whitespacesAndNewlines

    func attributeOf(_ base: TemplateValue, _ attribute: String) throws -> TemplateValue {
        switch base {
        case .dict:
            if let v = base.lookup(attribute) { return v }
            if let m = dictMethod(base, attribute) { return m }
            return .undefined
        case .namespace(let ns):
            return ns[attribute] ?? .undefined
        case .string(let s):
            if let m = stringMethod(s, attribute) { return m }
            throw error("strings have no attribute or method '\(attribute)'")
        case .undefined:
            throw error("cannot read '\(attribute)' of an undefined value")
        case .none:
            throw error("cannot read '\(attribute)' of none")
        default:
            return .undefined
        }
    }

    private func dictMethod(_ d: TemplateValue, _ name: String) -> TemplateValue? {
        guard case .dict(let entries) = d else { return nil }
        switch name {
        case "items": return .function(name: "items") { _, _ in .list(entries.map { .list([.string($0.0), $0.1]) }) }
        case "keys": return .function(name: "keys") { _, _ in .list(entries.map { .string($0.0) }) }
        case "values": return .function(name: "values") { _, _ in .list(entries.map(\.1)) }
        case "get": return .function(name: "get") { args, _ in
            guard case .string(let key)? = args.first else { return .none }
            return d.lookup(key) ?? (args.count > 1 ? args[1] : .none)
        }
        default: return nil
        }
    }

    /// Python's `str.strip` family: with no argument, Unicode whitespace; else the given characters.
    static func strip(_ s: String, _ chars: TemplateValue?, leading: Bool, trailing: Bool) -> String {
        var scalars = Array(s.unicodeScalars)
        let set: (Unicode.Scalar) -> Bool
        if case .string(let c)? = chars { let allowed = Set(c.unicodeScalars); set = { allowed.contains($0) } } else { set = { $0.properties.isWhitespace } }
        if trailing { while let last = scalars.last, set(last) { scalars.removeLast() } }
        if leading { while let first = scalars.first, set(first) { scalars.removeFirst() } }
        var out = ""
        out.unicodeScalars.append(contentsOf: scalars)
        return out
    }

    private func stringMethod(_ s: String, _ name: String) -> TemplateValue? {
        func method(_ f: @escaping ([TemplateValue]) throws -> TemplateValue) -> TemplateValue {
            .function(name: name) { args, _ in try f(args) }
        }
        func stringArg(_ args: [TemplateValue], _ i: Int) throws -> String {
            guard i < args.count, case .string(let a) = args[i] else { throw TextError("\(name)() needs a string argument") }
            return a
        }
        switch name {
        case "strip": return method { .string(Self.strip(s, $0.first, leading: true, trailing: true)) }
        case "lstrip": return method { .string(Self.strip(s, $0.first, leading: true, trailing: false)) }
        case "rstrip": return method { .string(Self.strip(s, $0.first, leading: false, trailing: true)) }
        case "upper": return method { _ in .string(s.uppercased()) }
        case "lower": return method { _ in .string(s.lowercased()) }
        case "title": return method { _ in .string(s.capitalized) }
        case "capitalize": return method { _ in .string(s.prefix(1).uppercased() + s.dropFirst().lowercased()) }
        case "startswith": return method { .bool(s.unicodeScalars.starts(with: try stringArg($0, 0).unicodeScalars)) }
        case "endswith": return method { .bool(s.unicodeScalars.reversed().starts(with: try stringArg($0, 0).unicodeScalars.reversed())) }
        case "replace": return method { args in
            .string(s.replacingOccurrences(of: try stringArg(args, 0), with: try stringArg(args, 1), options: .literal))
        }
        case "split": return method { args in
            if let sep = args.first, case .string(let separator) = sep {
                return .list(s.components(separatedBy: separator).map { .string($0) })
            }
            return .list(s.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) })
        }
        case "format", "join", "count", "find", "index":
            return nil
        default: return nil
        }
    }

    func applyFilter(_ filter: String, _ v: TemplateValue, _ args: [TemplateValue], _ kwargs: [String: TemplateValue]) throws -> TemplateValue {
        switch filter {
        case "trim":
            guard case .string(let s) = v else { return .string(Self.strip(v.printed, nil, leading: true, trailing: true)) }
            return .string(Self.strip(s, args.first, leading: true, trailing: true))
        case "length", "count":
            switch v {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .list(let l): return .int(l.count)
            case .dict(let d): return .int(d.count)
            default: throw error("\(v.typeName) has no length")
            }
        case "upper": return .string(v.printed.uppercased())
        case "lower": return .string(v.printed.lowercased())
        case "string": return .string(v.printed)
        case "capitalize": let s = v.printed; return .string(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "default", "d":
            let boolean = (kwargs["boolean"] ?? (args.count > 1 ? args[1] : .bool(false))).isTruthy
            if case .undefined = v { return args.first ?? .string("") }
            if boolean && !v.isTruthy { return args.first ?? .string("") }
            return v
        case "join":
            let separator = args.first?.printed ?? (kwargs["d"]?.printed ?? "")
            return .string(try iterate(v).map(\.printed).joined(separator: separator))
        case "first": return try iterate(v).first ?? .undefined
        case "last": return try iterate(v).last ?? .undefined
        case "list": return .list(try iterate(v))
        case "items":
            guard case .dict(let d) = v else { throw error("items needs a dict, not a \(v.typeName)") }
            return .list(d.map { .list([.string($0.0), $0.1]) })
        case "int":
            switch v {
            case .int: return v
            case .double(let d): return .int(Int(d))
            case .string(let s): return .int(Int(s.trimmingCharacters(in: Self.whitespace)) ?? 0)
            case .bool(let b): return .int(b ? 1 : 0)
            default: return .int(0)
            }
        case "tojson":
            var indent: Int?
            if case .int(let i)? = kwargs["indent"] ?? args.first { indent = i }
            var out = ""
            try Self.appendJSON(v, indent: indent, level: 0, to: &out, error)
            return .string(out)
        case "select", "reject":
            guard let testName = args.first?.printed else { throw error("\(filter) needs a test name") }
            return .list(try iterate(v).filter { try applyTest(testName, $0, Array(args.dropFirst())) == (filter == "select") })
        case "selectattr", "rejectattr":
            guard let attribute = args.first?.printed else { throw error("\(filter) needs an attribute name") }
            return .list(try iterate(v).filter { item in
                let a = try attributeOf(item, attribute)
                let passed = args.count > 1 ? try applyTest(args[1].printed, a, Array(args.dropFirst(2))) : a.isTruthy
                return passed == (filter == "selectattr")
            })
        case "map":
            if let attribute = kwargs["attribute"]?.printed { return .list(try iterate(v).map { try attributeOf($0, attribute) }) }
            guard let f = args.first?.printed else { throw error("map needs a filter name or attribute=") }
            return .list(try iterate(v).map { try applyFilter(f, $0, Array(args.dropFirst()), [:]) })
        default:
            throw error("filter '\(filter)' is not supported; supported: trim, length, count, upper, lower, string, capitalize, default, join, first, last, list, items, int, tojson, select, reject, selectattr, rejectattr, map")
        }
    }

    func applyTest(_ test: String, _ v: TemplateValue, _ args: [TemplateValue]) throws -> Bool {
        switch test {
        case "defined": if case .undefined = v { return false }; return true
        case "undefined": if case .undefined = v { return true }; return false
        case "none": if case .none = v { return true }; return false
        case "string": if case .string = v { return true }; return false
        case "boolean": if case .bool = v { return true }; return false
        case "integer": if case .int = v { return true }; return false
        case "number": switch v { case .int, .double: return true; default: return false }
        case "mapping": switch v { case .dict: return true; default: return false }
        case "iterable", "sequence": switch v { case .list, .dict, .string: return true; default: return false }
        case "true": if case .bool(true) = v { return true }; return false
        case "false": if case .bool(false) = v { return true }; return false
        case "odd", "even":
            guard case .int(let i) = v else { throw error("'\(test)' needs an integer") }
            return (i % 2 != 0) == (test == "odd")
        case "equalto", "eq", "==": return TemplateValue.equal(v, args.first ?? .undefined)
        case "ne", "!=": return !TemplateValue.equal(v, args.first ?? .undefined)
        default:
            throw error("test '\(test)' is not supported; supported: defined, undefined, none, string, boolean, integer, number, mapping, iterable, sequence, true, false, odd, even, equalto, ne")
        }
    }

    /// Python's `json.dumps(value, ensure_ascii=False, indent=indent)`, which
    /// transformers' `tojson` calls: ", " and ": " separators without indent,
    /// "," and newlines with it; non-ASCII characters kept; \b and \f escaped by
    /// name (JSONText writes them as \u00XX, so it cannot be reused here).
    static func appendJSON(_ v: TemplateValue, indent: Int?, level: Int, to out: inout String, _ error: (String) -> TextError) throws {
        func newline(_ l: Int) { if let indent { out += "\n" + String(repeating: " ", count: indent * l) } }
        let itemSeparator = indent == nil ? ", " : ","
        switch v {
        case .none, .undefined: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += TemplateValue.double(d).repr
        case .string(let s):
            out += "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
                }
            }
            out += "\""
        case .list(let l):
            if l.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in l.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(level + 1)
                try appendJSON(item, indent: indent, level: level + 1, to: &out, error)
            }
            newline(level)
            out += "]"
        case .dict(let d):
            if d.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (k, item)) in d.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(level + 1)
                try appendJSON(.string(k), indent: indent, level: level + 1, to: &out, error)
                out += ": "
                try appendJSON(item, indent: indent, level: level + 1, to: &out, error)
            }
            newline(level)
            out += "}"
        case .namespace, .function:
            throw error("cannot convert a \(v.typeName) to JSON")
        }
    }
}
