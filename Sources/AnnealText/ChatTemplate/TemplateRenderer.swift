import Foundation

/// Evaluates parsed chat-template statements against variables. Scoping follows
/// Jinja: a `for` body gets its own scope each iteration (its `set`s do not
/// survive it; `namespace` attributes do), `if` does not.
struct TemplateRenderer {
    let name: String
    var scopes: [[String: TemplateValue]]
    var output = ""
    /// The position of the expression being evaluated, for error messages.
    var line = 0, column = 0

    init(name: String, variables: [String: TemplateValue]) {
        self.name = name
        self.scopes = [TemplateRenderer.globals, variables]
    }

    func error(_ message: String) -> TextError {
        TextError("\(name) line \(line), column \(column): \(message)")
    }

    static var globals: [String: TemplateValue] { [
        "raise_exception": .function(name: "raise_exception") { args, _ in
            throw TextError(args.first?.printed ?? "raise_exception called")
        },
        "namespace": .function(name: "namespace") { args, kwargs in
            var attributes: [(String, TemplateValue)] = []
            if let first = args.first, case .dict(let d) = first { attributes = d }
            for (k, v) in kwargs.sorted(by: { $0.key < $1.key }) { attributes.append((k, v)) }
            return .namespace(TemplateNamespace(attributes))
        },
        "range": .function(name: "range") { args, _ in
            let ints = args.compactMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
            guard ints.count == args.count, (1...3).contains(ints.count) else { throw TextError("range() takes one to three integers") }
            let (start, stop, step) = ints.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], ints.count == 3 ? ints[2] : 1)
            guard step != 0 else { throw TextError("range() step must not be zero") }
            return .list(stride(from: start, to: stop, by: step).map { .int($0) })
        },
    ] }

    func lookup(_ variable: String) -> TemplateValue {
        for scope in scopes.reversed() { if let v = scope[variable] { return v } }
        return .undefined
    }

    mutating func render(_ nodes: [TemplateNode]) throws {
        for node in nodes { try render(node) }
    }

    private mutating func render(_ node: TemplateNode) throws {
        switch node {
        case .text(let s):
            output += s
        case .output(let e):
            output += try evaluate(e).printed
        case .ifChain(let branches, let otherwise):
            for (condition, body) in branches where try evaluate(condition).isTruthy {
                try render(body)
                return
            }
            try render(otherwise)
        case .forLoop(let targets, let iterableExpression, let condition, let body, let otherwise):
            var items = try iterate(try evaluate(iterableExpression))
            if let condition {
                var kept: [TemplateValue] = []
                for item in items {
                    scopes.append(try bind(targets, item))
                    defer { scopes.removeLast() }
                    if try evaluate(condition).isTruthy { kept.append(item) }
                }
                items = kept
            }
            if items.isEmpty { try render(otherwise); return }
            for (index, item) in items.enumerated() {
                var scope = try bind(targets, item)
                scope["loop"] = .dict([
                    ("index0", .int(index)), ("index", .int(index + 1)),
                    ("revindex0", .int(items.count - 1 - index)), ("revindex", .int(items.count - index)),
                    ("first", .bool(index == 0)), ("last", .bool(index == items.count - 1)),
                    ("length", .int(items.count)),
                    ("previtem", index > 0 ? items[index - 1] : .undefined),
                    ("nextitem", index + 1 < items.count ? items[index + 1] : .undefined),
                ])
                scopes.append(scope)
                defer { scopes.removeLast() }
                try render(body)
            }
        case .set(let targets, let e):
            let value = try evaluate(e)
            for (k, v) in try bind(targets, value) { scopes[scopes.count - 1][k] = v }
        case .setAttribute(let object, let attribute, let e):
            guard case .namespace(let ns) = lookup(object) else {
                throw error("'\(object)' is not a namespace; only namespace() objects take attribute assignment")
            }
            ns[attribute] = try evaluate(e)
        case .generation(let body):
            try render(body)
        }
    }

    private func bind(_ targets: [String], _ value: TemplateValue) throws -> [String: TemplateValue] {
        if targets.count == 1 { return [targets[0]: value] }
        guard case .list(let parts) = value, parts.count == targets.count else {
            throw error("cannot unpack \(value.typeName) into \(targets.count) names")
        }
        return Dictionary(uniqueKeysWithValues: zip(targets, parts).map { ($0, $1) })
    }

    func iterate(_ v: TemplateValue) throws -> [TemplateValue] {
        switch v {
        case .list(let l): return l
        case .dict(let d): return d.map { .string($0.0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .none, .undefined: throw error("cannot loop over \(v.typeName)")
        default: throw error("cannot loop over a \(v.typeName)")
        }
    }

    mutating func evaluate(_ e: TemplateExpression) throws -> TemplateValue {
        switch e {
        case .located(let inner, let l, let c):
            let (savedLine, savedColumn) = (line, column)
            (line, column) = (l, c)
            let v = try evaluate(inner)
            (line, column) = (savedLine, savedColumn)
            return v
        case .literal(let v): return v
        case .name(let n): return lookup(n)
        case .list(let items): return .list(try items.map { try evaluate($0) })
        case .dict(let entries):
            var d: [(String, TemplateValue)] = []
            for (k, v) in entries {
                guard case .string(let key) = try evaluate(k) else { throw error("dictionary keys must be strings") }
                d.append((key, try evaluate(v)))
            }
            return .dict(d)
        case .attribute(let base, let attribute):
            return try attributeOf(try evaluate(base), attribute)
        case .index(let base, let index):
            return try item(of: try evaluate(base), try evaluate(index))
        case .slice(let base, let start, let stop, let step):
            return try slice(try evaluate(base), try start.map { try evaluate($0) }, try stop.map { try evaluate($0) }, try step.map { try evaluate($0) })
        case .call(let callee, let args, let kwargs):
            let f = try evaluate(callee)
            guard case .function(let fname, let call) = f else { throw error("\(f.typeName) is not callable") }
            let values = try args.map { try evaluate($0) }
            var named: [String: TemplateValue] = [:]
            for (k, v) in kwargs { named[k] = try evaluate(v) }
            do { return try call(values, named) } catch let e as TextError {
                if fname == "raise_exception" { throw TextError("\(name) line \(line), column \(column): raise_exception: \(e.message)") }
                throw error("\(fname): \(e.message)")
            }
        case .filter(let base, let filterName, let args, let kwargs):
            let value = try evaluate(base)
            let values = try args.map { try evaluate($0) }
            var named: [String: TemplateValue] = [:]
            for (k, v) in kwargs { named[k] = try evaluate(v) }
            return try applyFilter(filterName, value, values, named)
        case .test(let base, let testName, let args, let negated):
            let value = try evaluate(base)
            let result = try applyTest(testName, value, try args.map { try evaluate($0) })
            return .bool(result != negated)
        case .unary(let op, let operand):
            let v = try evaluate(operand)
            if op == "not" { return .bool(!v.isTruthy) }
            switch v {
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            default: throw error("cannot negate a \(v.typeName)")
            }
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(value) }
            return try otherwise.map { try evaluate($0) } ?? .undefined
        case .binary(let op, let l, let r):
            if op == "and" { let a = try evaluate(l); return a.isTruthy ? try evaluate(r) : a }
            if op == "or" { let a = try evaluate(l); return a.isTruthy ? a : try evaluate(r) }
            return try binary(op, try evaluate(l), try evaluate(r))
        }
    }

    private func binary(_ op: String, _ a: TemplateValue, _ b: TemplateValue) throws -> TemplateValue {
        switch op {
        case "==": return .bool(TemplateValue.equal(a, b))
        case "!=": return .bool(!TemplateValue.equal(a, b))
        case "~": return .string(a.printed + b.printed)
        case "in", "not in":
            let found: Bool
            switch b {
            case .string(let s):
                guard case .string(let needle) = a else { throw error("'in <string>' needs a string on the left, not a \(a.typeName)") }
                found = needle.isEmpty || s.contains(needle)
            case .list(let l): found = l.contains { TemplateValue.equal($0, a) }
            case .dict(let d):
                guard case .string(let key) = a else { found = false; break }
                found = d.contains { $0.0 == key }
            default: throw error("cannot test membership in a \(b.typeName)")
            }
            return .bool(op == "in" ? found : !found)
        default: break
        }
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case "+": return .int(x + y)
            case "-": return .int(x - y)
            case "*": return .int(x * y)
            case "/": guard y != 0 else { throw error("division by zero") }; return .double(Double(x) / Double(y))
            case "//": guard y != 0 else { throw error("division by zero") }; return .int(Int((Double(x) / Double(y)).rounded(.down)))
            case "%": guard y != 0 else { throw error("modulo by zero") }; return .int(((x % y) + y) % y)
            case "<": return .bool(x < y)
            case ">": return .bool(x > y)
            case "<=": return .bool(x <= y)
            case ">=": return .bool(x >= y)
            default: break
            }
        case (.string(let x), .string(let y)):
            // Python orders strings by code point (Swift's < is Unicode canonical ordering).
            let less = x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) { $0.value < $1.value }
            let same = x.unicodeScalars.elementsEqual(y.unicodeScalars)
            switch op {
            case "+": return .string(x + y)
            case "<": return .bool(less)
            case ">": return .bool(!less && !same)
            case "<=": return .bool(less || same)
            case ">=": return .bool(!less)
            default: break
            }
        case (.list(let x), .list(let y)) where op == "+":
            return .list(x + y)
        case (.string(let s), .int(let n)) where op == "*":
            return .string(String(repeating: s, count: max(0, n)))
        default:
            break
        }
        if case .undefined = a { throw error("'\(op)' on an undefined value") }
        if case .undefined = b { throw error("'\(op)' on an undefined value") }
        throw error("unsupported operand types for '\(op)': \(a.typeName) and \(b.typeName)")
    }

    private func item(of base: TemplateValue, _ index: TemplateValue) throws -> TemplateValue {
        switch (base, index) {
        case (.list(let l), .int(let i)):
            let k = i < 0 ? l.count + i : i
            guard k >= 0 && k < l.count else { throw error("list index \(i) out of range (length \(l.count))") }
            return l[k]
        case (.string(let s), .int(let i)):
            // Python indexes code points, not grapheme clusters.
            let scalars = Array(s.unicodeScalars)
            let k = i < 0 ? scalars.count + i : i
            guard k >= 0 && k < scalars.count else { throw error("string index \(i) out of range") }
            return .string(String(scalars[k]))
        case (.dict, .string(let key)):
            return base.lookup(key) ?? .undefined
        case (.namespace(let ns), .string(let key)):
            return ns[key] ?? .undefined
        case (.undefined, _):
            throw error("cannot index an undefined value")
        default:
            return .undefined
        }
    }

    private func slice(_ base: TemplateValue, _ start: TemplateValue?, _ stop: TemplateValue?, _ step: TemplateValue?) throws -> TemplateValue {
        func int(_ v: TemplateValue?) throws -> Int? {
            guard let v else { return nil }
            switch v {
            case .int(let i): return i
            case .none: return nil
            default: throw error("slice indices must be integers")
            }
        }
        let s = try int(step) ?? 1
        guard s != 0 else { throw error("slice step cannot be zero") }
        func indices(_ n: Int) throws -> [Int] {
            func clamp(_ v: Int?, _ dflt: Int) -> Int {
                guard var v else { return dflt }
                if v < 0 { v += n }
                return s > 0 ? min(max(v, 0), n) : min(max(v, -1), n - 1)
            }
            let a = clamp(try int(start), s > 0 ? 0 : n - 1)
            let b = clamp(try int(stop), s > 0 ? n : -1)
            return Array(stride(from: a, to: b, by: s))
        }
        switch base {
        case .list(let l): return .list(try indices(l.count).map { l[$0] })
        case .string(let str):
            let scalars = Array(str.unicodeScalars)
            var out = ""
            out.unicodeScalars.append(contentsOf: try indices(scalars.count).map { scalars[$0] })
            return .string(out)
        default: throw error("cannot slice a \(base.typeName)")
        }
    }
}
